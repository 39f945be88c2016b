// Engine tests share one Docker engine and build cached images; running them one at a time keeps them predictable.
[assembly: NUnit.Framework.NonParallelizable]

// The driver speaks to the engine over a unix socket and reads /proc: Linux only.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
