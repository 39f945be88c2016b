@bench
Feature: Power cut through a device's relay at each step of commissioning
  The Responsible Supplier commissions a SMETS1 system through the DCC. The system is on the bench, its devices
  emulated with the Device Models of the rig under test, each with its supply through a relay; its hub connects to the DCC's SM WAN gateway, and each step of
  commissioning is a Service Request the Supplier sends to the DCC, which sends the Command to the device over the SM
  WAN. While a device carries out a step, its supply is cut through its relay, then restored.
  Afterwards the Smart Metering Inventory and the devices must agree. The SMI is read from the DCC: each device's SMI
  Status, which devices it records in each Device Log, and what became of the interrupted request, which ends once,
  as completed or as failed. A device keeps only its non-volatile state across the cut, written whole or not at all:
  what it reports over its local port must be what its state file holds. The SMI moves only on a device's Response,
  so a step the SMI records is one the device holds; a step the device finished but whose Response was lost with the
  power is in the device alone, and sending the request again completes it, exactly once on both sides.

  Background:
    Given the Responsible Supplier's SMETS1 system is on the bench, its hub connected to the DCC's SM WAN gateway and its Electricity Smart Meter and PPMID pre-notified

  @AC-4.1
  @rule-met
  Scenario: The hub's power is cut after it has connected to the SM WAN
    Given the SMI shows the hub as 'commissioned'
    When the power of the hub is cut and restored
    Then the hub connects to the DCC's SM WAN gateway again, counting one more power-up
    And the SMI shows the hub as 'commissioned'
    And what the hub reports over its local port is what its state file holds

  @AC-4.3
  @rule-met
  Scenario: The hub's power is cut while it adds the Electricity Smart Meter to its Device Log
    When the Supplier sends 'Update HAN Device Log' adding the Electricity Smart Meter to the hub, and the power of the hub is cut at once
    And the power of the hub is restored
    Then the request ends once, as completed or as failed
    And the hub and the SMI agree on whether the Electricity Smart Meter is in the hub's Device Log
    When the Supplier sends 'Update HAN Device Log' adding the Electricity Smart Meter to the hub
    Then the request completes
    And the Device Log of the hub holds the Electricity Smart Meter exactly once, as the SMI does
    And the SMI shows the Electricity Smart Meter as 'installed not commissioned'

  @AC-4.4
  @rule-met
  Scenario: The Electricity Smart Meter is without power when it is added to the hub's Device Log, and the hub alerts once it is back
    Given the power of the Electricity Smart Meter is cut
    When the Supplier sends 'Update HAN Device Log' adding the Electricity Smart Meter to the hub
    Then the request completes
    And the SMI shows the Electricity Smart Meter as 'whitelisted'
    When the power of the Electricity Smart Meter is restored
    Then the SMI shows the Electricity Smart Meter as 'installed not commissioned'
    And the Device Log of the hub holds the Electricity Smart Meter exactly once, as the SMI does
    And what the Electricity Smart Meter reports over its local port is what its state file holds

  @AC-4.7
  @rule-met
  Scenario: The Electricity Smart Meter's power is cut while the PPMID joins it
    Given the Electricity Smart Meter is on the hub's HAN, 'installed not commissioned'
    And the PPMID is on the hub's HAN, 'installed not commissioned'
    When the Supplier sends 'Join Service' joining the PPMID to the Electricity Smart Meter, and the power of the Electricity Smart Meter is cut at once
    And the power of the Electricity Smart Meter is restored
    Then the request ends once, as completed or as failed
    And the Electricity Smart Meter and the SMI agree on whether the PPMID is in the Electricity Smart Meter's Device Log
    When the Supplier sends 'Join Service' joining the PPMID to the Electricity Smart Meter
    Then the request completes
    And the Device Log of the Electricity Smart Meter holds the PPMID exactly once, as the SMI does
    And the SMI shows the PPMID as 'installed not commissioned'

  @AC-4.13 @AC-4.12(b)
  @rule-met @rule-broken
  Scenario: The Electricity Smart Meter's power is cut while it carries out 'Commission Device'
    Given the Electricity Smart Meter is on the hub's HAN, 'installed not commissioned'
    When the Supplier sends 'Commission Device' to the Electricity Smart Meter, and the power of the Electricity Smart Meter is cut at once
    And the power of the Electricity Smart Meter is restored
    Then the request ends once, as completed or as failed
    And the Electricity Smart Meter and the SMI agree on whether it is commissioned
    When the Supplier sends 'Commission Device' to the Electricity Smart Meter again, unless the SMI already shows it commissioned
    Then the Electricity Smart Meter reports itself commissioned, as its state file does
    And the SMI shows the Electricity Smart Meter as 'commissioned', after exactly one completed 'Commission Device'
    And a further 'Commission Device' to the Electricity Smart Meter is refused under AC 4.12(b)
