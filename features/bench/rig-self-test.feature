@bench @PPC-6.10
Feature: The rig self-test before a certification run
  Before a certification or PPC test run (PPC-6.10) the bench is checked: every device's local port opens and
  answers with the identity the rig file gives it, every meter's optical port answers its sign-on, every relay
  switches its device (seen as the device going quiet on its local port and answering again), and every pulse
  input sees pulses while its meter is under load. A failure is a fault of the bench, reported as a rig fault,
  never as a verdict on the product.

  @rule-met
  Scenario: The emulated rig passes its self-test
    Given the emulated rig "emulated" is running
    When the rig self-test runs
    Then it passes, having checked every local port, optical port, power relay and pulse input of the rig

  @rule-met
  Scenario: A run that requires the self-test goes ahead on a whole bench
    Given the emulated rig "emulated" is running
    And the rig passes its self-test
    Then every device of the rig answers on its local port

  @rule-broken
  Scenario: A relay missing from the bench is a rig fault naming it
    Given the emulated rig "emulated" is running with the line "bench/esme-power" missing from its GPIO bank
    When the rig self-test runs
    Then it fails on the power relay of "esme", naming the line "bench/esme-power"
    And a run that requires the self-test stops with a rig fault naming "bench/esme-power"

  @rule-broken
  Scenario: A relay whose wire is loose is a rig fault naming it
    Given the emulated rig "emulated" is running with the wire of the line "bench/gsme-power" loose
    When the rig self-test runs
    Then it fails on the power relay of "gsme", naming the line "bench/gsme-power"
    And a run that requires the self-test stops with a rig fault naming "bench/gsme-power"
