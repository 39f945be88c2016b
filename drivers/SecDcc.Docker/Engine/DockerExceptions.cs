using System.Net;

namespace SecDcc.Docker.Engine;

/// <summary>Base of every error this driver raises, so a caller can catch the Docker ones and no others.</summary>
public class DockerException : Exception
{
    public DockerException(string message) : base(message) { }
    public DockerException(string message, Exception? inner) : base(message, inner) { }
}

public enum DockerUnavailableReason
{
    /// <summary>The socket path does not exist: no engine installed, or it never started.</summary>
    NotInstalled,
    /// <summary>The socket exists but nothing accepts connections on it (ECONNREFUSED).</summary>
    NotRunning,
    /// <summary>The socket exists but this user may not connect (EACCES).</summary>
    PermissionDenied,
    /// <summary>DOCKER_HOST names a transport this driver does not speak.</summary>
    UnsupportedEndpoint,
    /// <summary>The engine accepted the connection but did not answer in time, or the connection broke.</summary>
    NotResponding,
    /// <summary>The engine's API version range and this client's do not overlap.</summary>
    UnsupportedApiVersion,
}

/// <summary>No usable Docker engine. Tests catch this to skip with its message.</summary>
public sealed class DockerUnavailableException : DockerException
{
    public DockerUnavailableException(DockerUnavailableReason reason, string socketPath, string message, Exception? inner = null)
        : base(message, inner)
    {
        Reason = reason;
        SocketPath = socketPath;
    }

    public DockerUnavailableReason Reason { get; }
    public string SocketPath { get; }
}

/// <summary>The engine answered with an error status; <see cref="EngineMessage"/> is its own text.</summary>
public sealed class DockerApiException : DockerException
{
    public DockerApiException(string operation, HttpStatusCode statusCode, string engineMessage, string? hint = null)
        : base(Compose(operation, statusCode, engineMessage, hint))
    {
        Operation = operation;
        StatusCode = statusCode;
        EngineMessage = engineMessage;
    }

    public string Operation { get; }
    public HttpStatusCode StatusCode { get; }
    public string EngineMessage { get; }

    private static string Compose(string operation, HttpStatusCode status, string engineMessage, string? hint)
    {
        var text = $"{operation} failed: the Docker engine answered {(int)status} {status}: {engineMessage}";
        return hint is null ? text : $"{text} — {hint}";
    }
}

/// <summary>An image build that the engine reported as failed; the message carries the engine's error and the last build output.</summary>
public sealed class DockerBuildException : DockerException
{
    public DockerBuildException(string message, string engineError, IReadOnlyList<string> output)
        : base(message)
    {
        EngineError = engineError;
        Output = output;
    }

    public string EngineError { get; }
    public IReadOnlyList<string> Output { get; }
}

/// <summary>Data from the engine that does not follow its documented format (a cut log frame, unparsable JSON).</summary>
public sealed class DockerProtocolException : DockerException
{
    public DockerProtocolException(string message, Exception? inner = null) : base(message, inner) { }
}
