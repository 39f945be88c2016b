@bench
Feature: Power cut through a device's relay at each step of commissioning
  A device's supply is cut through its relay while it carries out a step of commissioning, then restored. A
  device keeps only its non-volatile state across the cut, written whole or not at all, so afterwards what it
  reports over its local port is what its state file holds, the interrupted step is done wholly or not at all,
  and sending it again completes it exactly once.
  These scenarios are written against the devices' side alone: the hub connects to a gateway of the bench's own
  (the DCC's side of the SM WAN, signing with the rig's Access Control Broker key), because the DCC this suite
  starts has no SM WAN gateway to connect an in-process rig to. The SMI side of the same cuts is not checked here.

  Background:
    Given the emulated rig "emulated" is running with its hub connected to the bench's own gateway

  @AC-4.1
  Scenario: The hub's power is cut after it has connected to the SM WAN
    When the power of "chf" is cut and restored
    Then the hub connects again with its 'connected' communication, counting one more power-up
    And what "chf" reports over its local port is what its state file holds

  @AC-4.3
  Scenario: The hub's power is cut while it adds the ESME to its HAN Device Log
    When the gateway sends 'Update HAN Device Log' adding "esme" to "chf" and the power of "chf" is cut at once
    And the power of "chf" is restored
    Then what "chf" reports over its local port is what its state file holds
    When the gateway sends 'Update HAN Device Log' adding "esme" to "chf"
    Then the Device Log of "chf" holds "esme" exactly once

  @AC-4.4
  Scenario: The ESME is without power when it is whitelisted, and the hub alerts once it is back
    Given the power of "esme" is cut
    When the gateway sends 'Update HAN Device Log' adding "esme" to "chf"
    And the power of "esme" is restored
    Then the hub alerts that it can communicate over the HAN with "esme"

  @AC-4.7
  Scenario: The ESME's power is cut while it joins the IHD
    Given "esme" is on the hub's HAN
    And "ihd" is on the hub's HAN
    When the gateway sends 'Join Service' joining "ihd" to "esme" and the power of "esme" is cut at once
    And the power of "esme" is restored
    Then what "esme" reports over its local port is what its state file holds
    When the gateway sends 'Join Service' joining "ihd" to "esme"
    Then the Device Log of "esme" holds "ihd" exactly once

  @AC-4.13
  Scenario: The ESME's power is cut while it carries out 'Commission Device'
    Given "esme" is on the hub's HAN
    When the gateway sends 'Commission Device' to "esme" and the power of "esme" is cut at once
    And the power of "esme" is restored
    Then what "esme" reports over its local port is what its state file holds
    When the gateway sends 'Commission Device' to "esme"
    Then "esme" reports itself commissioned, as its state file does
