using SecDcc.Drivers.Interop;

namespace SecDcc.Drivers.Gpio.CharacterDevice;

/// <summary>Builds the character-device backend's exceptions: the chip or line, the action, the errno, and the fix.</summary>
internal static class GpioErrors
{
    public const string Fallbacks = "use a USB serial relay module (serial:/dev/ttyACM0) or the simulated bank (sim)";

    public static GpioException OpenChipFailed(string path, int errno) => errno switch
    {
        Errno.ENOENT or Errno.ENODEV or Errno.ENXIO or Errno.ENOTDIR => new GpioException(
            GpioError.NotAvailable,
            $"no GPIO character device {path} (open: {Errno.Describe(errno)}): this kernel has no GPIO support or the chip is absent{OtherChips(path)} — {Fallbacks}",
            errno),
        Errno.EACCES or Errno.EPERM => new GpioException(
            GpioError.PermissionDenied,
            $"permission denied opening GPIO chip {path} (open: {Errno.Describe(errno)}) — add the user to the group that owns it (usually gpio: `sudo usermod -aG gpio $USER`) and log in again",
            errno),
        _ => new GpioException(GpioError.IoError, $"cannot open GPIO chip {path} (open: {Errno.Describe(errno)})", errno),
    };

    public static GpioException ChipInfoFailed(string path, int errno) => errno is Errno.ENOTTY or Errno.EINVAL
        ? new GpioException(
            GpioError.NotAvailable,
            $"{path} is not a GPIO character device (ioctl GPIO_GET_CHIPINFO: {Errno.Describe(errno)}) — name a /dev/gpiochipN in the rig file, or {Fallbacks}",
            errno)
        : new GpioException(GpioError.IoError, $"cannot read the chip information of {path} (ioctl GPIO_GET_CHIPINFO: {Errno.Describe(errno)})", errno);

    public static GpioException LineRequestFailed(string line, string path, int errno, string? consumer) => errno switch
    {
        Errno.EBUSY => new GpioException(
            GpioError.Busy,
            $"cannot request {line} at {path}: it is in use{(consumer is null ? string.Empty : $" by '{consumer}'")} (ioctl GPIO_V2_GET_LINE: {Errno.Describe(errno)}) — stop the other user, or check that the rig file names the right line",
            errno),
        Errno.EINVAL => new GpioException(
            GpioError.Unsupported,
            $"cannot request {line} at {path}: the chip refused the configuration (ioctl GPIO_V2_GET_LINE: {Errno.Describe(errno)}) — it may not support edge detection, bias or debounce on this line",
            errno),
        Errno.EPERM or Errno.EACCES => new GpioException(
            GpioError.PermissionDenied,
            $"cannot request {line} at {path} (ioctl GPIO_V2_GET_LINE: {Errno.Describe(errno)}) — the line may be reserved by the kernel",
            errno),
        _ => Failed(line, path, "request", "ioctl GPIO_V2_GET_LINE", errno),
    };

    public static GpioException Failed(string line, string path, string action, string call, int errno) =>
        new(GpioError.IoError, $"cannot {action} {line} at {path}: {call} failed ({Errno.Describe(errno)})", errno);

    private static string OtherChips(string path)
    {
        var chips = GpioChipBackend.FindChips().Where(c => c != path).ToArray();
        return chips.Length == 0 ? " (this machine has no /dev/gpiochip* at all)" : $" (this machine has {string.Join(", ", chips)})";
    }
}
