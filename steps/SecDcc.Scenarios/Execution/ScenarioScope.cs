using System.Reflection;

namespace SecDcc.Scenarios;

/// <summary>
/// One object graph per scenario: every binding class and everything their constructors ask for is made once
/// and shared by all step classes of the scenario, then disposed (in reverse order of creation) when it ends.
/// Objects registered from outside are not disposed: the scope does not own them.
/// </summary>
public sealed class ScenarioScope : IAsyncDisposable
{
    private readonly Dictionary<Type, object> _instances = [];
    private readonly List<object> _created = [];
    private readonly HashSet<Type> _resolving = [];
    private bool _disposed;

    public void Register<T>(T instance) where T : notnull => _instances[typeof(T)] = instance;

    public void Register(Type type, object instance) => _instances[type] = instance;

    public T Resolve<T>() => (T)Resolve(typeof(T));

    public object Resolve(Type type)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_instances.TryGetValue(type, out var existing)) return existing;
        if (type.IsInterface || type.IsAbstract)
        {
            var registered = _instances.Values.FirstOrDefault(type.IsInstanceOfType);
            return registered ?? throw new BindingConstructionException(
                $"Nothing registered for {type.FullName}: register an implementation in a [BeforeScenario] hook or ask for a concrete class.");
        }
        if (!_resolving.Add(type))
            throw new BindingConstructionException($"Circular constructor dependency involving {type.FullName}.");
        try
        {
            var constructor = type.GetConstructors(BindingFlags.Public | BindingFlags.Instance)
                .OrderByDescending(c => c.GetParameters().Length).FirstOrDefault()
                ?? throw new BindingConstructionException($"{type.FullName} has no public constructor.");
            var arguments = constructor.GetParameters().Select(p => ResolveParameter(type, p)).ToArray();
            object instance;
            try
            {
                instance = constructor.Invoke(arguments);
            }
            catch (TargetInvocationException e) when (e.InnerException is not null && Outcomes.Classify(e.InnerException) == StepStatus.RigFault)
            {
                // A bench that does not answer while a binding is built is still a rig fault, not a test defect.
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e.InnerException).Throw();
                throw;
            }
            catch (TargetInvocationException e) when (e.InnerException is not null)
            {
                throw new BindingConstructionException(
                    $"The constructor of {type.FullName} threw {e.InnerException.GetType().Name}: {e.InnerException.Message}", e.InnerException);
            }
            _instances[type] = instance;
            _created.Add(instance);
            return instance;
        }
        finally
        {
            _resolving.Remove(type);
        }
    }

    private object ResolveParameter(Type owner, ParameterInfo parameter)
    {
        try
        {
            return Resolve(parameter.ParameterType);
        }
        catch (BindingConstructionException e)
        {
            throw new BindingConstructionException(
                $"Cannot create {owner.FullName}: constructor parameter '{parameter.Name}' ({parameter.ParameterType.Name}): {e.Message}", e);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        List<Exception>? errors = null;
        for (var i = _created.Count - 1; i >= 0; i--)
        {
            try
            {
                switch (_created[i])
                {
                    case IAsyncDisposable a: await a.DisposeAsync(); break;
                    case IDisposable d: d.Dispose(); break;
                }
            }
            catch (Exception e)
            {
                (errors ??= []).Add(e);
            }
        }
        if (errors is not null)
            throw new AggregateException("Disposing the scenario's objects failed", errors);
    }
}

/// <summary>A binding class (or something its constructor needs) could not be built; a fault of the test code.</summary>
public sealed class BindingConstructionException(string message, Exception? inner = null) : Exception(message, inner);
