@bench @F2.2 @PPC-6.11
Feature: A meter's identity and firmware read through its optical port
  Every meter answers IEC 62056-21 mode C readout on its optical port, so the same reader works on a real meter
  with an optical probe. The harness reads the manufacturer (FLAG ID and name), model, firmware version and
  firmware hash there and holds them against the meter's Device Model file and the Central Products List, which
  identifies a Device Model by its firmware version and hash (F2.2): a meter running other firmware is not the
  combination on the list, and must go through PPC testing as a changed combination (PPC-6.11).

  @rule-met
  Scenario: The ESME's optical identity and firmware match its Device Model file and the CPL
    Given the emulated rig "emulated" is running
    And the Central Products List lists the Device Model of the meter "esme"
    When the harness reads the optical port of the meter "esme"
    Then its manufacturer, model, firmware version and firmware hash match its Device Model file and the CPL

  @rule-broken
  Scenario: A meter reporting other firmware on its optical port than it is listed with is caught
    Given the emulated rig "emulated-bench-quirks" is running
    And the Central Products List lists the Device Model of the meter "esme-optical"
    When the harness reads the optical port of the meter "esme-optical"
    Then the readout disagrees on the firmware version with its Device Model file and with the CPL, and on nothing else

  Scenario: A garbled optical data block is reported as a transmission error, not as the meter's identity
    Given the emulated rig "emulated" is running
    And the next data block of the meter "esme" on its optical port is garbled
    When the harness reads the optical port of the meter "esme"
    Then the readout fails as a garbled data block whose BCC does not match, naming the port
    And a second readout of the optical port of the meter "esme" succeeds
