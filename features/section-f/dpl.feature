@F2.16
Feature: The Deployed Products List (Section F2.16)
  The DCC keeps a list of every combination of Device Models that forms a Smart Metering System in the Smart
  Metering Inventory, with the Type 2 Devices Associated with it, for the Panel to publish.

  Background:
    Given the Central Products List identifies the SMETS2+ Device Models used here

  @rule-met
  Scenario: A Smart Metering System's combination of Device Models is on the Deployed Products List
    Given an Electricity Smart Meter with SMI status 'commissioned'
    And a PPMID with SMI status 'commissioned'
    Then the Deployed Products List lists 1 Smart Metering System of the Device Models of the Electricity Smart Meter, the Communications Hub Function and the PPMID

  @rule-met
  Scenario: Type 2 Devices Associated with a Smart Metering System are listed with its combination
    Given an Electricity Smart Meter with SMI status 'commissioned'
    And an IHD in the Smart Metering Inventory
    And the IHD is joined to the Electricity Smart Meter
    Then the Deployed Products List lists 1 Smart Metering System of the Device Models of the Electricity Smart Meter and the Communications Hub Function, with the IHD as Type 2 Device

  @rule-met
  Scenario: Two Smart Metering Systems of the same combination are counted together
    Given an Electricity Smart Meter with SMI status 'commissioned'
    And an other Electricity Smart Meter with SMI status 'commissioned'
    Then the Deployed Products List lists 2 Smart Metering Systems of the Device Models of the Electricity Smart Meter and the Communications Hub Function

  @rule-met
  Scenario: A gas Smart Metering System lists its Gas Proxy Function's Device Model
    Given a Gas Smart Meter with SMI status 'commissioned'
    And a Gas Proxy Function with SMI status 'commissioned'
    Then the Deployed Products List lists 1 Smart Metering System of the Device Models of the Gas Smart Meter, the Communications Hub Function and the Gas Proxy Function

  @rule-met
  Scenario: A Smart Metering System that no longer exists leaves the Deployed Products List
    Given an Electricity Smart Meter with SMI status 'commissioned'
    When the Responsible Supplier decommissions the Electricity Smart Meter
    Then the Deployed Products List lists no Smart Metering System with the Electricity Smart Meter's Device Model
