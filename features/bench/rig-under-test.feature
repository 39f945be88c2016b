@bench @rig-under-test
Feature: The meters of the rig under test on the bench
  The devices under test are those of the rig named for the run (the emulated rig unless another is chosen). Each
  meter with a pulse input has its pulses counted against the change of its import register (1.8.0), read over its
  optical port, through the meter constant of its Device Model: a PPC test relies on the meters on the bench
  measuring what they say they measure (PPC-6.10). Each meter with an optical port has its manufacturer, model,
  firmware version and firmware hash read there and held against its Device Model file and the Central Products
  List, which identifies a Device Model by its firmware version and hash (F2.2): a meter running other firmware is
  not the listed combination, and must be tested as a changed one (PPC-6.11).

  @PPC-6.10
  @rule-met
  Scenario: The rig under test passes its self-test
    Given the rig under test is running
    When the rig self-test runs
    Then it passes, having checked every local port, optical port, power relay and pulse input of the rig

  @PPC-6.10
  @rule-met
  Scenario: The pulses of every meter of the rig under test match the change of its register
    Given the rig under test is running
    When every meter of the rig under test with a pulse input measures 200 Wh under load, its pulses counted within 2 pulses
    Then each meter's pulse count matches the change of its energy register

  @F2.2 @PPC-6.11
  @rule-met
  Scenario: The optical identity of every meter of the rig under test matches its Device Model file and the CPL
    Given the rig under test is running
    And the Central Products List lists the Device Model of every meter of the rig under test with an optical port
    When the harness reads the optical port of every meter of the rig under test
    Then each one's manufacturer, model, firmware version and firmware hash match its Device Model file and the CPL
