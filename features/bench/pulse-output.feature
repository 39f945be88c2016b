@bench @PPC-6.10
Feature: A meter's pulse output against its energy register
  A bench counts the pulses of an electricity meter's LED with a photodiode on a GPIO input, and compares them
  with the change of the meter's import register (1.8.0) read over its optical port, through the meter constant
  of its Device Model (imp/kWh). A PPC test of a combination relies on the meters on the bench measuring what they
  say they measure, so this is evidence for it (PPC-6.10); it is a bench check, not a clause of its own.
  On the emulated rig the photodiode is an input of the simulated GPIO bank and the load an emulated one; the
  load is off while the register is read, so no pulse falls between a reading and the count.

  @rule-met
  Scenario: The ESME's pulses match the change of its register
    Given the emulated rig "emulated" is running
    When the meter "esme" measures 200 Wh under load, its pulses counted within 2 pulses
    Then the pulse count matches the change of its energy register

  @rule-broken
  Scenario: A meter whose LED misses one pulse in fifty is caught
    Given the emulated rig "emulated-bench-quirks" is running
    When the meter "esme-pulse" measures 200 Wh under load, its pulses counted within 2 pulses
    Then the pulse check reports a miscount: about one pulse in 50 fewer than the register's change
