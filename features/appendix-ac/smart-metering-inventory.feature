@AC-2.1 @AC-2.2 @AC-2.3 @AC-2.7 @AC-2.10
Feature: The Smart Metering Inventory (Appendix AC 2.1–2.3, 2.7, 2.10)
  The DCC keeps the Smart Metering Inventory, keeps it up to date with what it is told, adds Devices only as the
  Appendix allows, sends nothing to a Device it does not list (save for testing under H14 or Section T), and lets
  the Responsible Supplier correct a Smart Meter's MPAN or MPRN, telling the network operators affected.

  Background:
    Given the Central Products List identifies the SMETS2+ Device Models used here

  @AC-2.1
  Scenario: A Device added to the Smart Metering Inventory can be read back from it
    Given an Electricity Smart Meter with SMI status 'pending'
    Then Read Inventory shows the Electricity Smart Meter with Device Type ESME, of its Device Model, with SMI status 'pending'

  @AC-2.1
  Scenario: A Device never added is not in the Smart Metering Inventory
    Given an Electricity Smart Meter that is not in the Smart Metering Inventory
    Then the Electricity Smart Meter is not in the Smart Metering Inventory

  @AC-2.2
  @rule-met
  Scenario: The Smart Metering Inventory reflects the latest information the DCC was given
    Given an Electricity Smart Meter with SMI status 'pending'
    And a Communications Hub Function with SMI status 'commissioned'
    When the Responsible Supplier adds the Electricity Smart Meter to the Device Log of the Communications Hub Function
    Then the SMI status of the Electricity Smart Meter is now 'whitelisted'
    And the Electricity Smart Meter is Associated with the Communications Hub Function
    And the Smart Metering Inventory records the MPAN against the Electricity Smart Meter

  @AC-2.2
  @rule-broken
  Scenario: A refused request leaves the Smart Metering Inventory as it was
    Given an Electricity Smart Meter with SMI status 'installed not commissioned'
    And a Communications Hub Function with SMI status 'commissioned'
    When another Supplier sends a 'Commission Device' Service Request for the Electricity Smart Meter
    Then the DCC refuses the request, citing AC-4.11
    And the SMI status of the Electricity Smart Meter is still 'installed not commissioned'

  @AC-2.3
  @rule-met
  Scenario: A Device is added once
    When the Responsible Supplier adds an Electricity Smart Meter to the Smart Metering Inventory
    Then the DCC accepts the request
    And the SMI status of the Electricity Smart Meter is 'pending'

  @AC-2.3
  @rule-broken
  Scenario: A Device already in the Smart Metering Inventory is not added a second time
    Given an Electricity Smart Meter with SMI status 'whitelisted'
    When the Responsible Supplier adds the Electricity Smart Meter to the Smart Metering Inventory again
    Then the DCC refuses the request, citing AC-2.3
    And the SMI status of the Electricity Smart Meter is still 'whitelisted'

  @AC-2.7
  @rule-met
  Scenario: The DCC may communicate with a Device listed in the Smart Metering Inventory
    Given an Electricity Smart Meter with SMI status 'pending'
    When the DCC checks whether it may send a communication to the Electricity Smart Meter for operational purposes
    Then the DCC accepts the communication

  @AC-2.7
  @rule-broken
  Scenario: The DCC sends no communication to a Device that is not in the Smart Metering Inventory
    Given an Electricity Smart Meter that is not in the Smart Metering Inventory
    When the DCC checks whether it may send a communication to the Electricity Smart Meter for operational purposes
    Then the DCC refuses the communication, citing AC-2.7

  @AC-2.7
  @rule-met
  Scenario Outline: Testing under Section H14 or Section T may reach a Device that is not listed
    Given an Electricity Smart Meter that is not in the Smart Metering Inventory
    When the DCC checks whether it may send a communication to the Electricity Smart Meter <purpose>
    Then the DCC accepts the communication

    Examples:
      | purpose                          |
      | for testing under Section H14    |
      | for testing under Section T      |

  @AC-2.10
  @rule-met
  Scenario: The Responsible Supplier corrects a Smart Meter's MPAN and the Electricity Distributor is told
    Given an Electricity Smart Meter with SMI status 'whitelisted'
    When the Responsible Supplier corrects the Electricity Smart Meter's MPAN in the Smart Metering Inventory
    Then the DCC accepts the request
    And the Electricity Distributor is notified of the correction of the Electricity Smart Meter's MPAN

  @AC-2.10
  @rule-met
  Scenario: A correction that moves a meter to another Electricity Distributor's MPAN tells both distributors
    Given an Electricity Smart Meter with SMI status 'whitelisted'
    When the Responsible Supplier corrects the Electricity Smart Meter's MPAN to one in the other Electricity Distributor's area
    Then the DCC accepts the request
    And the Electricity Distributor is notified of the correction of the Electricity Smart Meter's MPAN
    And the other Electricity Distributor is notified of the correction of the Electricity Smart Meter's MPAN

  @AC-2.10
  @rule-met
  Scenario: The Responsible Supplier corrects a Gas Smart Meter's MPRN and the Gas Transporter is told
    Given a Gas Smart Meter with SMI status 'whitelisted'
    When the Responsible Supplier corrects the Gas Smart Meter's MPRN in the Smart Metering Inventory
    Then the DCC accepts the request
    And the Gas Transporter is notified of the correction of the Gas Smart Meter's MPRN

  @AC-2.10
  @rule-broken
  Scenario: A User other than the Responsible Supplier cannot correct the Smart Metering Inventory and raises an Incident instead
    Given an Electricity Smart Meter with SMI status 'whitelisted'
    When another Supplier corrects the Electricity Smart Meter's MPAN in the Smart Metering Inventory
    Then the DCC refuses the request, citing AC-2.11
    And no Electricity Distributor or Gas Transporter is notified of a correction for the Electricity Smart Meter

  @AC-2.10
  @rule-broken
  Scenario: An MPAN is recorded against a Smart Meter, not against other Devices
    Given a PPMID with SMI status 'whitelisted'
    When the Responsible Supplier corrects the PPMID's MPAN in the Smart Metering Inventory
    Then the DCC refuses the request, citing AC-2.10
    And the PPMID has no MPAN recorded against it
