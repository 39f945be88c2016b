using System.Runtime.CompilerServices;

// Every native struct here is plain data with a fixed C layout, so the runtime's legacy marshalling
// would only add copies; the source-generated imports in Interop/ pass them as they are.
[assembly: DisableRuntimeMarshalling]

namespace SecDcc.Drivers;
