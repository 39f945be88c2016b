using SecDcc.Drivers.Serial;

namespace SecDcc.Drivers.Gpio.SerialModule;

/// <summary>How a USB serial GPIO/relay module is laid out and spoken to.</summary>
public sealed record SerialGpioModuleOptions
{
    /// <summary>Relay channels; they become lines 0 to Relays-1, named relay0, relay1, ….</summary>
    public int Relays { get; init; } = 8;

    /// <summary>GPIO channels; they become the lines after the relays, named gpio0, gpio1, ….</summary>
    public int Gpios { get; init; }

    /// <summary>The line settings; USB CDC modules ignore the baud rate, FTDI-based ones do not.</summary>
    public SerialSettings Settings { get; init; } = new() { BaudRate = 115200 };

    /// <summary>How long a command may take, from sending it to the prompt.</summary>
    public TimeSpan AnswerTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How often inputs opened with edge detection are read. A pulse shorter than this can be missed, and
    /// two edges within one interval are seen as none; see the folder README.
    /// </summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(10);

    /// <summary>The clock for edge timestamps and the poll timer.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    internal void Validate(string where)
    {
        if (Relays < 0 || Gpios < 0 || Relays > ModuleDialect.MaxChannels || Gpios > ModuleDialect.MaxChannels || Relays + Gpios == 0)
        {
            throw new ArgumentException(
                $"{where}: a module has 0 to {ModuleDialect.MaxChannels} relays and 0 to {ModuleDialect.MaxChannels} GPIOs, and at least one of either; got {Relays} relays and {Gpios} GPIOs");
        }

        if (AnswerTimeout <= TimeSpan.Zero || PollInterval <= TimeSpan.Zero)
        {
            throw new ArgumentException($"{where}: the answer timeout ({AnswerTimeout}) and the poll interval ({PollInterval}) must be positive");
        }
    }
}
