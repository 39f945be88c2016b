using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SecDcc.Docker.Build;
using SecDcc.Docker.Logs;

namespace SecDcc.Docker.Engine;

public sealed record DockerEngineOptions
{
    /// <summary>Where the engine listens; by default DOCKER_HOST (unix:// only) or /var/run/docker.sock.</summary>
    public DockerEndpoint? Endpoint { get; init; }

    /// <summary>How long a short call (inspect, create, start, list) may take before the engine counts as not answering.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Pins the API version instead of negotiating it; it must lie within the engine's supported range.</summary>
    public string? ApiVersion { get; init; }
}

/// <summary>
/// Docker Engine API client over the engine's unix socket, with plain HttpClient: Docker.DotNet and
/// Testcontainers are not available here. Connect with <see cref="ConnectAsync"/>, which pings the engine
/// and agrees the API version (the lower of the engine's and <see cref="MaximumApiVersion"/>).
/// </summary>
public sealed class DockerEngineClient : IDockerEngine
{
    /// <summary>Docker 19.03: health checks, wait conditions and label filters all exist from here.</summary>
    public const string MinimumApiVersion = "1.40";

    /// <summary>The newest API this client is written against; newer engines are spoken to at this version.</summary>
    public const string MaximumApiVersion = "1.47";

    private readonly HttpClient _http;
    private readonly TimeSpan _requestTimeout;
    private string _apiVersion;

    private DockerEngineClient(DockerEngineOptions options)
    {
        Endpoint = options.Endpoint ?? DockerEndpoint.FromEnvironment();
        _requestTimeout = options.RequestTimeout;
        _apiVersion = options.ApiVersion ?? MinimumApiVersion;
        var socketPath = Endpoint.SocketPath;
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = (_, ct) => UnixSocketConnector.ConnectAsync(socketPath, ct),
            // The engine never compresses, and streamed bodies (logs, build, wait) must not be buffered.
            AutomaticDecompression = DecompressionMethods.None,
            UseProxy = false,
        };
        _http = new HttpClient(handler, disposeHandler: true)
        {
            BaseAddress = new Uri("http://docker.sock/"),
            // Per-call deadlines come from RequestTimeout or the caller's token; long streams must not be cut.
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    public DockerEndpoint Endpoint { get; }

    public string ApiVersion => _apiVersion;

    /// <summary>Connects to the engine, checks it answers, and agrees the API version.</summary>
    public static async Task<DockerEngineClient> ConnectAsync(DockerEngineOptions? options, CancellationToken cancellationToken)
    {
        options ??= new DockerEngineOptions();
        var client = new DockerEngineClient(options);
        try
        {
            await client.PingAsync(cancellationToken).ConfigureAwait(false);
            var version = await client.GetVersionAsync(cancellationToken).ConfigureAwait(false);
            client._apiVersion = NegotiateApiVersion(version, options.ApiVersion, client.Endpoint.SocketPath);
            return client;
        }
        catch (Exception)
        {
            client.Dispose();
            throw;
        }
    }

    internal static string NegotiateApiVersion(EngineVersion engine, string? pinned, string socketPath)
    {
        var engineMax = ParseApiVersion(engine.ApiVersion, "the engine's ApiVersion");
        var engineMin = engine.MinApiVersion.Length > 0 ? ParseApiVersion(engine.MinApiVersion, "the engine's MinAPIVersion") : engineMax;
        var ours = ParseApiVersion(pinned ?? MaximumApiVersion, "the pinned API version");
        var chosen = pinned is null && engineMax < ours ? engineMax : ours;
        if (chosen < ParseApiVersion(MinimumApiVersion, "MinimumApiVersion"))
        {
            throw new DockerUnavailableException(
                DockerUnavailableReason.UnsupportedApiVersion, socketPath,
                $"the Docker engine {engine.Version} speaks API {engine.ApiVersion}, older than the {MinimumApiVersion} SecDcc needs — upgrade Docker to 19.03 or newer");
        }

        if (chosen < engineMin || chosen > engineMax)
        {
            throw new DockerUnavailableException(
                DockerUnavailableReason.UnsupportedApiVersion, socketPath,
                $"API version {chosen.ToString(2)} is outside the range {engineMin.ToString(2)}–{engineMax.ToString(2)} that Docker {engine.Version} accepts — " +
                (pinned is null ? "use a Docker engine that still accepts API " + MaximumApiVersion : "pin a version in that range, or pin none to negotiate"));
        }

        return chosen.ToString(2);
    }

    private static Version ParseApiVersion(string text, string what) =>
        Version.TryParse(text, out var v) ? v : throw new DockerProtocolException($"{what} '{text}' is not a version like 1.41");

    public Task PingAsync(CancellationToken cancellationToken) =>
        CallAsync("GET /_ping", async ct =>
        {
            using var response = await _http.GetAsync("_ping", ct).ConfigureAwait(false);
            await EnsureSuccessAsync(response, "GET /_ping", null, ct).ConfigureAwait(false);
            return true;
        }, _requestTimeout, cancellationToken);

    public Task<EngineVersion> GetVersionAsync(CancellationToken cancellationToken) =>
        CallAsync("GET /version", async ct =>
        {
            using var doc = await GetJsonAsync("version", "GET /version", ct).ConfigureAwait(false);
            var r = doc!.RootElement;
            return new EngineVersion(r.Str("Version"), r.Str("ApiVersion"), r.Str("MinAPIVersion"), r.Str("Os"), r.Str("Arch"), r.Str("KernelVersion"));
        }, _requestTimeout, cancellationToken);

    public async Task<BuildResult> BuildImageAsync(
        BuildContext context, ImageBuildParameters parameters, Action<string>? output, CancellationToken cancellationToken)
    {
        if (parameters.Tags.Count == 0)
        {
            throw new ArgumentException("an image build needs at least one tag, so the image can be found again", nameof(parameters));
        }

        var operation = $"POST /build ({string.Join(", ", parameters.Tags)})";
        var tarPath = Path.Combine(Path.GetTempPath(), $"secdcc-context-{Guid.NewGuid():N}.tar");
        await using var tar = new FileStream(tarPath, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 81920,
            FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        await context.WriteTarAsync(tar, cancellationToken).ConfigureAwait(false);
        tar.Position = 0;

        var query = new StringBuilder("build?rm=1&forcerm=1");
        foreach (var tag in parameters.Tags)
        {
            query.Append("&t=").Append(Uri.EscapeDataString(tag));
        }

        query.Append("&dockerfile=").Append(Uri.EscapeDataString(parameters.Dockerfile));
        query.Append("&pull=").Append(parameters.Pull ? "1" : "0");
        query.Append("&nocache=").Append(parameters.NoCache ? "1" : "0");
        query.Append("&buildargs=").Append(Uri.EscapeDataString(JsonSerializer.Serialize(parameters.BuildArgs)));
        query.Append("&labels=").Append(Uri.EscapeDataString(JsonSerializer.Serialize(parameters.Labels)));

        return await CallAsync(operation, async ct =>
        {
            using var content = new StreamContent(tar, 81920);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/x-tar");
            using var request = new HttpRequestMessage(HttpMethod.Post, Versioned(query.ToString())) { Content = content };
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
            await EnsureSuccessAsync(response, operation, null, ct).ConfigureAwait(false);
            await using var body = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
            var progress = await BuildProgress.ReadAsync(body, output, ct).ConfigureAwait(false);
            if (progress.Error is not null)
            {
                throw new DockerBuildException(
                    $"building {string.Join(", ", parameters.Tags)} failed: {progress.Error}\nlast lines of the build output:\n  " +
                    string.Join("\n  ", progress.Lines.TakeLast(20)),
                    progress.Error, progress.Lines);
            }

            var imageId = progress.ImageId;
            if (imageId is null)
            {
                // Engines before API 1.30's aux message only print "Successfully built"; the tag finds the image.
                var image = await InspectImageCoreAsync(parameters.Tags[0], ct).ConfigureAwait(false);
                imageId = image?.Id ?? throw new DockerProtocolException(
                    $"the build of {parameters.Tags[0]} reported no error but no image either; last output: {progress.Lines.LastOrDefault()}");
            }

            return new BuildResult(imageId, progress.Lines);
        }, timeout: null, cancellationToken).ConfigureAwait(false);
    }

    public Task<ImageInfo?> InspectImageAsync(string nameOrId, CancellationToken cancellationToken) =>
        CallAsync($"GET /images/{nameOrId}/json", ct => InspectImageCoreAsync(nameOrId, ct), _requestTimeout, cancellationToken);

    private async Task<ImageInfo?> InspectImageCoreAsync(string nameOrId, CancellationToken ct)
    {
        using var doc = await GetJsonAsync($"images/{EscapeName(nameOrId)}/json", $"GET /images/{nameOrId}/json", ct, nullOnNotFound: true).ConfigureAwait(false);
        return doc is null ? null : DockerJson.ParseImage(doc.RootElement);
    }

    public Task<IReadOnlyList<ImageSummary>> ListImagesAsync(IReadOnlyDictionary<string, string?> labels, CancellationToken cancellationToken)
    {
        var filters = LabelFilters(labels);
        return CallAsync("GET /images/json", async ct =>
        {
            using var doc = await GetJsonAsync($"images/json?filters={Uri.EscapeDataString(filters)}", "GET /images/json", ct).ConfigureAwait(false);
            return (IReadOnlyList<ImageSummary>)doc!.RootElement.EnumerateArray().Select(DockerJson.ParseImageSummary).ToList();
        }, _requestTimeout, cancellationToken);
    }

    private static string LabelFilters(IReadOnlyDictionary<string, string?> labels) =>
        JsonSerializer.Serialize(new Dictionary<string, string[]>
        {
            ["label"] = labels.Select(l => l.Value is null ? l.Key : $"{l.Key}={l.Value}").ToArray(),
        });

    public Task<bool> RemoveImageAsync(string nameOrId, bool force, CancellationToken cancellationToken)
    {
        var operation = $"DELETE /images/{nameOrId}";
        return CallAsync(operation, async ct =>
        {
            using var response = await _http.DeleteAsync(Versioned($"images/{EscapeName(nameOrId)}?force={(force ? 1 : 0)}"), ct).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                return false;
            }

            await EnsureSuccessAsync(response, operation, "a container still uses it: remove that container first, or pass force", ct).ConfigureAwait(false);
            return true;
        }, _requestTimeout, cancellationToken);
    }

    public Task<string> CreateContainerAsync(ContainerSpec spec, CancellationToken cancellationToken)
    {
        var operation = $"POST /containers/create ({spec.Name ?? spec.Image})";
        return CallAsync(operation, async ct =>
        {
            var path = spec.Name is null ? "containers/create" : $"containers/create?name={Uri.EscapeDataString(spec.Name)}";
            using var content = new StringContent(CreateBody(spec).ToJsonString(), Encoding.UTF8, "application/json");
            using var response = await _http.PostAsync(Versioned(path), content, ct).ConfigureAwait(false);
            var hint = response.StatusCode switch
            {
                HttpStatusCode.NotFound => $"the image {spec.Image} is not on this engine: build it (or, with a registry, pull it) first",
                HttpStatusCode.Conflict => $"a container named {spec.Name} already exists: remove it (docker rm -f {spec.Name}) or choose another name",
                _ => null,
            };
            await EnsureSuccessAsync(response, operation, hint, ct).ConfigureAwait(false);
            using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false));
            return doc.RootElement.Str("Id");
        }, _requestTimeout, cancellationToken);
    }

    internal static JsonObject CreateBody(ContainerSpec spec)
    {
        var exposed = new JsonObject();
        var bindings = new JsonObject();
        foreach (var port in spec.Ports)
        {
            var key = port.Container.ToString();
            exposed[key] = new JsonObject();
            var list = bindings[key] as JsonArray ?? (JsonArray)(bindings[key] = new JsonArray());
            list.Add(new JsonObject
            {
                ["HostIp"] = port.HostIp,
                // An empty HostPort asks the engine for a free ephemeral port.
                ["HostPort"] = port.HostPort == 0 ? string.Empty : port.HostPort.ToString(CultureInfo.InvariantCulture),
            });
        }

        var mounts = new JsonArray();
        foreach (var m in spec.Mounts)
        {
            mounts.Add(new JsonObject
            {
                ["Type"] = m.Kind == MountKind.Bind ? "bind" : "volume",
                ["Source"] = m.Source,
                ["Target"] = m.Target,
                ["ReadOnly"] = m.ReadOnly,
            });
        }

        var labels = new JsonObject();
        foreach (var (k, v) in spec.Labels)
        {
            labels[k] = v;
        }

        var body = new JsonObject
        {
            ["Image"] = spec.Image,
            ["Env"] = new JsonArray(spec.Environment.Select(e => (JsonNode)JsonValue.Create($"{e.Key}={e.Value}")).ToArray()),
            ["Labels"] = labels,
            ["ExposedPorts"] = exposed,
            ["Tty"] = false,
            ["HostConfig"] = new JsonObject { ["PortBindings"] = bindings, ["Mounts"] = mounts },
        };
        if (spec.Command.Count > 0)
        {
            body["Cmd"] = new JsonArray(spec.Command.Select(c => (JsonNode)JsonValue.Create(c)).ToArray());
        }

        if (spec.User is not null)
        {
            body["User"] = spec.User;
        }

        return body;
    }

    public Task StartContainerAsync(string id, CancellationToken cancellationToken)
    {
        var operation = $"POST /containers/{id}/start";
        return CallAsync(operation, async ct =>
        {
            using var response = await _http.PostAsync(Versioned($"containers/{EscapeName(id)}/start"), null, ct).ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.NotModified)
            {
                await EnsureSuccessAsync(response, operation, null, ct).ConfigureAwait(false);
            }

            return true;
        }, _requestTimeout, cancellationToken);
    }

    public Task<ContainerInfo?> InspectContainerAsync(string id, CancellationToken cancellationToken) =>
        CallAsync($"GET /containers/{id}/json", async ct =>
        {
            using var doc = await GetJsonAsync($"containers/{EscapeName(id)}/json", $"GET /containers/{id}/json", ct, nullOnNotFound: true).ConfigureAwait(false);
            return doc is null ? null : DockerJson.ParseContainer(doc.RootElement);
        }, _requestTimeout, cancellationToken);

    public async IAsyncEnumerable<LogFrame> ReadLogsAsync(string id, LogsRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var operation = $"GET /containers/{id}/logs";
        var info = await InspectContainerAsync(id, cancellationToken).ConfigureAwait(false)
            ?? throw new DockerApiException(operation, HttpStatusCode.NotFound, $"No such container: {id}");
        var path = $"containers/{EscapeName(id)}/logs?stdout={(request.Stdout ? 1 : 0)}&stderr={(request.Stderr ? 1 : 0)}" +
                   $"&follow={(request.Follow ? 1 : 0)}&tail={(request.Tail is { } t ? t.ToString(CultureInfo.InvariantCulture) : "all")}";

        var response = await CallAsync(operation, async ct =>
        {
            var r = await _http.GetAsync(Versioned(path), HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
            try
            {
                await EnsureSuccessAsync(r, operation, null, ct).ConfigureAwait(false);
                return r;
            }
            catch (DockerException)
            {
                r.Dispose();
                throw;
            }
        }, _requestTimeout, cancellationToken).ConfigureAwait(false);

        using (response)
        {
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            if (info.Tty)
            {
                // With a TTY the engine sends the raw terminal bytes, all as one stream.
                var buffer = new byte[8192];
                int n;
                while ((n = await body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    yield return new LogFrame(LogStreamKind.Stdout, buffer.AsSpan(0, n).ToArray());
                }

                yield break;
            }

            await foreach (var frame in StdCopyDemultiplexer.ReadFramesAsync(body, cancellationToken).ConfigureAwait(false))
            {
                yield return frame;
            }
        }
    }

    public Task<long> WaitForExitAsync(string id, CancellationToken cancellationToken)
    {
        var operation = $"POST /containers/{id}/wait";
        return CallAsync(operation, async ct =>
        {
            using var response = await _http.PostAsync(Versioned($"containers/{EscapeName(id)}/wait?condition=not-running"), null, ct).ConfigureAwait(false);
            await EnsureSuccessAsync(response, operation, null, ct).ConfigureAwait(false);
            using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false));
            return doc.RootElement.Long("StatusCode");
        }, timeout: null, cancellationToken);
    }

    public Task StopContainerAsync(string id, TimeSpan grace, CancellationToken cancellationToken)
    {
        var operation = $"POST /containers/{id}/stop";
        var seconds = (int)Math.Ceiling(grace.TotalSeconds);
        return CallAsync(operation, async ct =>
        {
            using var response = await _http.PostAsync(Versioned($"containers/{EscapeName(id)}/stop?t={seconds}"), null, ct).ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.NotModified)
            {
                await EnsureSuccessAsync(response, operation, null, ct).ConfigureAwait(false);
            }

            return true;
        }, _requestTimeout + grace, cancellationToken);
    }

    public Task KillContainerAsync(string id, string signal, CancellationToken cancellationToken)
    {
        var operation = $"POST /containers/{id}/kill";
        return CallAsync(operation, async ct =>
        {
            using var response = await _http.PostAsync(Versioned($"containers/{EscapeName(id)}/kill?signal={Uri.EscapeDataString(signal)}"), null, ct).ConfigureAwait(false);
            await EnsureSuccessAsync(response, operation, null, ct).ConfigureAwait(false);
            return true;
        }, _requestTimeout, cancellationToken);
    }

    public Task<bool> RemoveContainerAsync(string id, bool force, bool removeVolumes, CancellationToken cancellationToken)
    {
        var operation = $"DELETE /containers/{id}";
        return CallAsync(operation, async ct =>
        {
            using var response = await _http.DeleteAsync(
                Versioned($"containers/{EscapeName(id)}?force={(force ? 1 : 0)}&v={(removeVolumes ? 1 : 0)}"), ct).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                return false;
            }

            if (response.StatusCode == HttpStatusCode.Conflict)
            {
                var message = DockerJson.ErrorMessage(await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false));
                if (message.Contains("already in progress", StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }

                throw new DockerApiException(operation, response.StatusCode, message, "stop the container first, or remove it with force");
            }

            await EnsureSuccessAsync(response, operation, null, ct).ConfigureAwait(false);
            return true;
        }, _requestTimeout, cancellationToken);
    }

    public Task<IReadOnlyList<ContainerSummary>> ListContainersAsync(IReadOnlyDictionary<string, string?> labels, CancellationToken cancellationToken)
    {
        var filters = LabelFilters(labels);
        return CallAsync("GET /containers/json", async ct =>
        {
            using var doc = await GetJsonAsync($"containers/json?all=1&filters={Uri.EscapeDataString(filters)}", "GET /containers/json", ct).ConfigureAwait(false);
            return (IReadOnlyList<ContainerSummary>)doc!.RootElement.EnumerateArray().Select(DockerJson.ParseSummary).ToList();
        }, _requestTimeout, cancellationToken);
    }

    public void Dispose() => _http.Dispose();

    private string Versioned(string path) => $"v{_apiVersion}/{path}";

    // Image references keep their / and : (the engine's routes expect them as they are); IDs and names need nothing else.
    private static string EscapeName(string name) =>
        Uri.EscapeDataString(name).Replace("%2F", "/", StringComparison.Ordinal).Replace("%3A", ":", StringComparison.Ordinal);

    private async Task<JsonDocument?> GetJsonAsync(string path, string operation, CancellationToken ct, bool nullOnNotFound = false)
    {
        var versioned = path is "version" ? path : Versioned(path);
        using var response = await _http.GetAsync(versioned, ct).ConfigureAwait(false);
        if (nullOnNotFound && response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        await EnsureSuccessAsync(response, operation, null, ct).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
        try
        {
            return JsonDocument.Parse(text);
        }
        catch (JsonException e)
        {
            throw new DockerProtocolException($"{operation}: the engine's answer is not JSON: {Truncate(text)}", e);
        }
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, string operation, string? hint, CancellationToken ct)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var body = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
        throw new DockerApiException(operation, response.StatusCode, DockerJson.ErrorMessage(body), hint);
    }

    /// <summary>
    /// Runs one engine call with a deadline (null: only the caller's token) and turns transport failures into
    /// <see cref="DockerUnavailableException"/>s that name the socket, the call and what to do.
    /// </summary>
    private async Task<T> CallAsync<T>(string operation, Func<CancellationToken, Task<T>> call, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (timeout is { } t)
        {
            deadline.CancelAfter(t);
        }

        try
        {
            return await call(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested && deadline.IsCancellationRequested)
        {
            throw new DockerUnavailableException(
                DockerUnavailableReason.NotResponding, Endpoint.SocketPath,
                $"the Docker engine at {Endpoint.SocketPath} did not answer {operation} within {timeout!.Value.TotalSeconds:0.#}s — " +
                "check that dockerd is healthy (docker info; its log)", e);
        }
        catch (HttpRequestException e) when (e.InnerException is DockerUnavailableException unavailable)
        {
            throw new DockerUnavailableException(unavailable.Reason, unavailable.SocketPath, unavailable.Message, unavailable.InnerException);
        }
        catch (HttpRequestException e)
        {
            throw ConnectionBroke(operation, e);
        }
        catch (IOException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw ConnectionBroke(operation, e);
        }
    }

    private DockerUnavailableException ConnectionBroke(string operation, Exception e) => new(
        DockerUnavailableReason.NotResponding, Endpoint.SocketPath,
        $"the connection to the Docker engine at {Endpoint.SocketPath} broke during {operation}: {e.Message} — did dockerd stop or restart? (docker info; its log)", e);

    private static string Truncate(string text) => text.Length <= 200 ? text : text[..200] + "…";
}
