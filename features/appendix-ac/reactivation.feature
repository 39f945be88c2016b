@AC-8.1 @AC-8.2 @AC-8.3
Feature: Reactivating decommissioned, withdrawn or suspended Devices (Appendix AC 8.1–8.3)
  The Responsible Supplier may ask for a Device (not a Type 2 Device) that is 'decommissioned', 'whitelisted' or
  'withdrawn' to return to 'pending'; the DCC does so if its Device Model is on the Central Products List. A Device
  left 'pending' for 12 months is removed from the Smart Metering Inventory. A Device that stops being Suspended –
  its Device Model back on the Central Products List, or the Device's model changed to one on it – returns to the
  status it held immediately before its Suspension.

  Background:
    Given the Central Products List identifies the SMETS2+ Device Models used here

  @AC-8.1
  @rule-met
  Scenario Outline: A '<status>' Device returns to 'pending' at the Responsible Supplier's request
    Given an Electricity Smart Meter with SMI status '<status>'
    When the Responsible Supplier asks the DCC to return the Electricity Smart Meter to 'pending'
    Then the DCC accepts the request
    And the SMI status of the Electricity Smart Meter is 'pending'

    Examples:
      | status         |
      | decommissioned |
      | whitelisted    |
      | withdrawn      |

  @AC-8.1
  @rule-broken
  Scenario Outline: A Device that is '<status>' is not returned to 'pending'
    Given an Electricity Smart Meter with SMI status '<status>'
    When the Responsible Supplier asks the DCC to return the Electricity Smart Meter to 'pending'
    Then the DCC refuses the request, citing AC-8.1
    And the SMI status of the Electricity Smart Meter is still '<status>'

    Examples:
      | status                     |
      | installed not commissioned |
      | commissioned               |
      | suspended                  |

  @AC-8.1
  @rule-broken
  Scenario: Only the Responsible Supplier may return a Device to 'pending'
    Given an Electricity Smart Meter with SMI status 'decommissioned'
    When another Supplier asks the DCC to return the Electricity Smart Meter to 'pending'
    Then the DCC refuses the request, citing AC-8.1
    And the SMI status of the Electricity Smart Meter is still 'decommissioned'

  @AC-8.1
  @rule-broken
  Scenario: A Device whose Device Model is no longer on the Central Products List is not returned to 'pending'
    Given an Electricity Smart Meter with SMI status 'decommissioned'
    And the Device Model of the Electricity Smart Meter is removed from the Central Products List
    When the Responsible Supplier asks the DCC to return the Electricity Smart Meter to 'pending'
    Then the DCC refuses the request, citing AC-8.1
    And the SMI status of the Electricity Smart Meter is still 'decommissioned'

  @AC-8.1
  @rule-broken
  Scenario: A Type 2 Device has no SMI Status to return to 'pending'
    Given an IHD in the Smart Metering Inventory
    When the Responsible Supplier asks the DCC to return the IHD to 'pending'
    Then the DCC refuses the request, citing AC-8.1
    And the IHD has no SMI status

  @AC-8.2
  @rule-met
  Scenario: A Device left 'pending' for 12 months is removed from the Smart Metering Inventory
    Given an Electricity Smart Meter with SMI status 'pending'
    When 12 months pass
    Then the Electricity Smart Meter is not in the Smart Metering Inventory

  @AC-8.2
  @rule-broken
  Scenario: A Device 'pending' for less than 12 months stays in the Smart Metering Inventory
    Given an Electricity Smart Meter with SMI status 'pending'
    When 12 months less a day pass
    Then the SMI status of the Electricity Smart Meter is still 'pending'

  @AC-8.2
  @rule-broken
  Scenario: A Device that has left 'pending' is not removed after 12 months
    Given an Electricity Smart Meter with SMI status 'whitelisted'
    When 12 months pass
    Then the SMI status of the Electricity Smart Meter is still 'whitelisted'

  @AC-8.2
  @rule-broken
  Scenario: A Device returned to 'pending' counts its 12 months from its return
    Given an Electricity Smart Meter with SMI status 'decommissioned'
    And 6 months pass
    When the Responsible Supplier asks the DCC to return the Electricity Smart Meter to 'pending'
    And 11 months pass
    Then the SMI status of the Electricity Smart Meter is still 'pending'

  @AC-8.3
  @rule-met
  Scenario Outline: A Device Suspended while '<status>' returns to '<status>' when its Device Model is back on the Central Products List
    Given an Electricity Smart Meter with SMI status '<status>'
    And the Electricity Smart Meter has been suspended because its Device Model left the Central Products List
    When the Device Model of the Electricity Smart Meter is added back to the Central Products List
    And the DCC's 24 hours to update the Smart Metering Inventory pass
    Then the SMI status of the Electricity Smart Meter is '<status>'

    Examples:
      | status                     |
      | pending                    |
      | whitelisted                |
      | installed not commissioned |
      | commissioned               |

  @AC-8.3
  @rule-met
  Scenario: A Suspended Device whose Device Model is changed to one on the Central Products List returns to its previous status
    Given an Electricity Smart Meter with SMI status 'suspended'
    When the Responsible Supplier records a new Device Model for the Electricity Smart Meter that is on the Central Products List
    Then the DCC accepts the request
    And the SMI status of the Electricity Smart Meter is 'installed not commissioned'

  @AC-8.3
  @rule-broken
  Scenario: A Suspended Device whose Device Model is changed to another one off the Central Products List stays Suspended
    Given an Electricity Smart Meter with SMI status 'suspended'
    When the Responsible Supplier records a new Device Model for the Electricity Smart Meter that is not on the Central Products List
    Then the SMI status of the Electricity Smart Meter is still 'suspended'

  @AC-8.3
  @rule-broken
  Scenario: A Suspended Device stays Suspended while its Device Model is off the Central Products List
    Given an Electricity Smart Meter with SMI status 'suspended'
    When the DCC's 24 hours to update the Smart Metering Inventory pass
    Then the SMI status of the Electricity Smart Meter is still 'suspended'
