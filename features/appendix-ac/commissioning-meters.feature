@AC-4.11 @AC-4.12 @AC-4.13 @AC-4.15
Feature: Commissioning Smart Meters (Appendix AC 4.11–4.15)
  The Responsible Supplier Commissions a Smart Meter with a 'Commission Device' Service Request. The DCC sends no
  Command for it where the meter is not listed, is already 'commissioned' or is 'decommissioned', 'withdrawn' or
  'suspended', or where the Communications Hub Function of its Smart Metering System is not 'commissioned'. The
  meter becomes 'commissioned' when its Response over the SM WAN shows the request was Successfully Executed.
  There is no commissioning of a Type 2 Device.

  Background:
    Given the Central Products List identifies the SMETS2+ Device Models used here

  @AC-4.11
  @AC-4.12(a) @AC-4.12(c)
  @rule-met
  Scenario Outline: The Responsible Supplier's 'Commission Device' request for <a> <meter> is acted on
    Given a Communications Hub Function with SMI status 'commissioned'
    And <a> <meter> with SMI status 'installed not commissioned'
    When the Responsible Supplier sends a 'Commission Device' Service Request for the <meter>
    Then the DCC accepts the request and sends the Commission Device command

    Examples:
      | a  | meter                   |
      | an | Electricity Smart Meter |
      | a  | Gas Smart Meter         |

  @AC-4.11
  @rule-broken
  Scenario: A Supplier that is not the Responsible Supplier cannot have the meter Commissioned
    Given an Electricity Smart Meter with SMI status 'installed not commissioned'
    When another Supplier sends a 'Commission Device' Service Request for the Electricity Smart Meter
    Then the DCC refuses the request, citing AC-4.11
    And the SMI status of the Electricity Smart Meter is still 'installed not commissioned'

  @AC-4.11
  @rule-broken
  Scenario: 'Commission Device' is for Smart Meters; a Type 1 Device is Commissioned by joining it
    Given a PPMID with SMI status 'installed not commissioned'
    When the Responsible Supplier sends a 'Commission Device' Service Request for the PPMID
    Then the DCC refuses the request, citing AC-4.11
    And the SMI status of the PPMID is still 'installed not commissioned'

  @AC-4.11
  @rule-broken
  Scenario: 'Commission Device' is for Smart Meters; a Communications Hub Function is Commissioned by its connection
    Given a Communications Hub Function with SMI status 'pending'
    When the Responsible Supplier sends a 'Commission Device' Service Request for the Communications Hub Function
    Then the DCC refuses the request, citing AC-4.11
    And the SMI status of the Communications Hub Function is still 'pending'

  @AC-4.12(a)
  @rule-broken
  Scenario: No Command is sent to a Smart Meter that is not in the Smart Metering Inventory
    Given a Communications Hub Function with SMI status 'commissioned'
    And an Electricity Smart Meter that is not in the Smart Metering Inventory
    When the Responsible Supplier sends a 'Commission Device' Service Request for the Electricity Smart Meter
    Then the DCC refuses the request, citing AC-4.12(a)
    And the Electricity Smart Meter is not in the Smart Metering Inventory

  @AC-4.12(b)
  @rule-broken
  Scenario Outline: No Command is sent to a Smart Meter that is '<status>'
    Given a Communications Hub Function with SMI status 'commissioned'
    And an Electricity Smart Meter with SMI status '<status>'
    When the Responsible Supplier sends a 'Commission Device' Service Request for the Electricity Smart Meter
    Then the DCC refuses the request, citing AC-4.12(b)
    And the SMI status of the Electricity Smart Meter is still '<status>'

    Examples:
      | status         |
      | commissioned   |
      | decommissioned |
      | withdrawn      |
      | suspended      |

  @AC-4.12(b)
  @rule-met
  Scenario Outline: A Smart Meter that is '<status>' may be Commissioned
    Given a Communications Hub Function with SMI status 'commissioned'
    And an Electricity Smart Meter with SMI status '<status>'
    When the Responsible Supplier sends a 'Commission Device' Service Request for the Electricity Smart Meter
    Then the DCC accepts the request and sends the Commission Device command

    Examples:
      | status                     |
      | whitelisted                |
      | installed not commissioned |

  @AC-4.12(c)
  @rule-broken
  Scenario: No Command is sent while the Communications Hub Function of the Smart Metering System is only 'pending'
    Given a Communications Hub Function with SMI status 'pending'
    And an Electricity Smart Meter with SMI status 'installed not commissioned'
    When the Responsible Supplier sends a 'Commission Device' Service Request for the Electricity Smart Meter
    Then the DCC refuses the request, citing AC-4.12(c)
    And the SMI status of the Electricity Smart Meter is still 'installed not commissioned'

  @AC-4.12(c)
  @rule-broken
  Scenario Outline: No Command is sent once the Communications Hub Function of the Smart Metering System is <status>
    Given a Communications Hub Function with SMI status 'commissioned'
    And an Electricity Smart Meter with SMI status 'installed not commissioned'
    And the Responsible Supplier has since <status> the Communications Hub Function
    When the Responsible Supplier sends a 'Commission Device' Service Request for the Electricity Smart Meter
    Then the DCC refuses the request, citing AC-4.12(c)
    And the SMI status of the Electricity Smart Meter is still 'installed not commissioned'

    Examples:
      | status         |
      | decommissioned |
      | withdrawn      |

  @AC-4.12(c)
  @rule-broken
  Scenario: No Command is sent to a Smart Meter that is in no Communications Hub Function's Device Log
    Given a Communications Hub Function with SMI status 'commissioned'
    And an Electricity Smart Meter with SMI status 'pending'
    When the Responsible Supplier sends a 'Commission Device' Service Request for the Electricity Smart Meter
    Then the DCC refuses the request, citing AC-4.12(c)
    And the SMI status of the Electricity Smart Meter is still 'pending'

  @AC-4.13
  @rule-met
  Scenario Outline: A <meter> whose Response shows 'Commission Device' Successfully Executed becomes 'commissioned'
    Given a Communications Hub Function with SMI status 'commissioned'
    And <a> <meter> with SMI status 'installed not commissioned'
    And the Responsible Supplier has sent a 'Commission Device' Service Request for the <meter>
    When the <meter> answers over the SM WAN that 'Commission Device' was successfully executed
    Then the DCC accepts the response
    And the SMI status of the <meter> is 'commissioned'

    Examples:
      | a  | meter                   |
      | an | Electricity Smart Meter |
      | a  | Gas Smart Meter         |

  @AC-4.13
  @rule-broken
  Scenario: A Smart Meter whose Response shows 'Commission Device' failed is not Commissioned
    Given a Communications Hub Function with SMI status 'commissioned'
    And an Electricity Smart Meter with SMI status 'installed not commissioned'
    And the Responsible Supplier has sent a 'Commission Device' Service Request for the Electricity Smart Meter
    When the Electricity Smart Meter answers over the SM WAN that 'Commission Device' was not successfully executed
    Then the SMI status of the Electricity Smart Meter is still 'installed not commissioned'

  @AC-4.13
  @rule-broken
  Scenario: A Response to a 'Commission Device' request nobody sent does not Commission the meter
    Given a Communications Hub Function with SMI status 'commissioned'
    And an Electricity Smart Meter with SMI status 'installed not commissioned'
    When the Electricity Smart Meter answers over the SM WAN that 'Commission Device' was successfully executed
    Then the DCC refuses the response, citing AC-4.13
    And the SMI status of the Electricity Smart Meter is still 'installed not commissioned'

  @AC-4.15
  @rule-broken
  Scenario Outline: There is no commissioning of a Type 2 Device (<device>)
    Given a Communications Hub Function with SMI status 'commissioned'
    And <a> <device> in the Smart Metering Inventory
    And the <device> is in the Device Log of the Communications Hub Function
    When the Responsible Supplier sends a 'Commission Device' Service Request for the <device>
    Then the DCC refuses the request, citing AC-4.15
    And the <device> has no SMI status

    Examples:
      | a  | device |
      | an | IHD    |
      | a  | CAD    |

  @AC-4.15
  @rule-met
  Scenario: A Type 2 Device joined to a 'commissioned' meter takes no SMI Status
    Given an Electricity Smart Meter with SMI status 'commissioned'
    And an IHD in the Smart Metering Inventory
    And the IHD is joined to the Electricity Smart Meter
    Then the IHD has no SMI status
