@AC-4.5 @AC-4.6 @AC-4.7 @AC-4.8 @AC-4.9 @AC-4.10
Feature: Joining Devices to Smart Meters and Gas Proxy Functions (Appendix AC 4.5–4.10)
  The Responsible Supplier joins a Device to a Smart Meter or Gas Proxy Function with a 'Join Service' Service
  Request. The DCC sends no join Command unless the Device, the Communications Hub Function of the Smart Metering
  System and the meter or GPF are each 'pending', 'installed not commissioned' or 'commissioned'. When the join
  succeeds the Device is Associated with the meter or GPF and takes its status if that is 'installed not
  commissioned' or 'commissioned' – which is how a Type 1 Device or a GPF is Commissioned. Type 2 Devices may also
  be joined by an Other User, to an Electricity Smart Meter or a GPF, and have no status to take.

  Background:
    Given the Central Products List identifies the SMETS2+ Device Models used here

  @AC-4.5
  @rule-met
  Scenario: The Responsible Supplier's 'Join Service' request is acted on with a join Command
    Given an Electricity Smart Meter with SMI status 'commissioned'
    And a PPMID with SMI status 'installed not commissioned'
    When the Responsible Supplier sends a 'Join Service' Service Request to join the PPMID to the Electricity Smart Meter
    Then the DCC accepts the request and sends the Join Service command

  @AC-4.5
  @rule-broken
  Scenario: A Supplier that is not the Responsible Supplier cannot join a Device to the meter
    Given an Electricity Smart Meter with SMI status 'commissioned'
    And a PPMID with SMI status 'installed not commissioned'
    When another Supplier sends a 'Join Service' Service Request to join the PPMID to the Electricity Smart Meter
    Then the DCC refuses the request, citing AC-4.5
    And the SMI status of the PPMID is still 'installed not commissioned'

  @AC-4.5
  @rule-broken
  Scenario: A Communications Hub Function is not joined to a meter
    Given an Electricity Smart Meter with SMI status 'commissioned'
    When the Responsible Supplier sends a 'Join Service' Service Request to join the Communications Hub Function to the Electricity Smart Meter
    Then the DCC refuses the request, citing AC-4.5

  @AC-4.6(a)
  @rule-met
  Scenario Outline: A Device that is '<status>' may be joined
    Given an Electricity Smart Meter with SMI status 'commissioned'
    And a PPMID with SMI status '<status>'
    When the Responsible Supplier sends a 'Join Service' Service Request to join the PPMID to the Electricity Smart Meter
    Then the DCC accepts the request and sends the Join Service command

    Examples:
      | status                     |
      | pending                    |
      | installed not commissioned |

  @AC-4.6(a)
  @rule-broken
  Scenario Outline: No join Command is sent for a Device that is '<status>'
    Given an Electricity Smart Meter with SMI status 'commissioned'
    And a PPMID with SMI status '<status>'
    When the Responsible Supplier sends a 'Join Service' Service Request to join the PPMID to the Electricity Smart Meter
    Then the DCC refuses the request, citing AC-4.6(a)
    And the SMI status of the PPMID is still '<status>'

    Examples:
      | status         |
      | whitelisted    |
      | decommissioned |
      | withdrawn      |
      | suspended      |

  @AC-4.6(a)
  @rule-broken
  Scenario: No join Command is sent for a Device that is not in the Smart Metering Inventory
    Given an Electricity Smart Meter with SMI status 'commissioned'
    And a PPMID that is not in the Smart Metering Inventory
    When the Responsible Supplier sends a 'Join Service' Service Request to join the PPMID to the Electricity Smart Meter
    Then the DCC refuses the request, citing AC-4.6(a)

  @AC-4.6(b)
  @rule-met
  Scenario: A join may be sent while the Smart Metering System's Communications Hub Function is still 'pending'
    Given a Communications Hub Function with SMI status 'pending'
    And an Electricity Smart Meter with SMI status 'pending'
    And a PPMID with SMI status 'installed not commissioned'
    When the Responsible Supplier sends a 'Join Service' Service Request to join the PPMID to the Electricity Smart Meter
    Then the DCC accepts the request and sends the Join Service command

  @AC-4.6(b)
  @rule-broken
  Scenario: No join Command is sent when the Smart Metering System's Communications Hub Function has been decommissioned
    Given an Electricity Smart Meter with SMI status 'installed not commissioned'
    And a PPMID with SMI status 'installed not commissioned'
    And the Responsible Supplier has since decommissioned the Communications Hub Function
    When the Responsible Supplier sends a 'Join Service' Service Request to join the PPMID to the Electricity Smart Meter
    Then the DCC refuses the request, citing AC-4.6(b)
    And the SMI status of the PPMID is still 'installed not commissioned'

  @AC-4.6(b)
  @rule-broken
  Scenario: No join Command is sent when the Smart Metering System has no Communications Hub Function in the Smart Metering Inventory
    Given an Electricity Smart Meter with SMI status 'pending'
    And a PPMID with SMI status 'pending'
    When the Responsible Supplier sends a 'Join Service' Service Request to join the PPMID to the Electricity Smart Meter
    Then the DCC refuses the request, citing AC-4.6(b)

  @AC-4.6(c)
  @rule-met
  Scenario Outline: A Device may be joined to a meter that is '<status>'
    Given an Electricity Smart Meter with SMI status '<status>'
    And a PPMID with SMI status 'installed not commissioned'
    When the Responsible Supplier sends a 'Join Service' Service Request to join the PPMID to the Electricity Smart Meter
    Then the DCC accepts the request and sends the Join Service command

    Examples:
      | status                     |
      | pending                    |
      | installed not commissioned |
      | commissioned               |

  @AC-4.6(c)
  @rule-broken
  Scenario Outline: No join Command is sent to a meter that is '<status>'
    Given an Electricity Smart Meter with SMI status '<status>'
    And a PPMID with SMI status 'installed not commissioned'
    When the Responsible Supplier sends a 'Join Service' Service Request to join the PPMID to the Electricity Smart Meter
    Then the DCC refuses the request, citing AC-4.6(c)
    And the PPMID is not Associated with the Electricity Smart Meter

    Examples:
      | status         |
      | whitelisted    |
      | decommissioned |
      | withdrawn      |
      | suspended      |

  @AC-4.6(c)
  @rule-broken
  Scenario: No join Command is sent to a meter that is not in the Smart Metering Inventory
    Given a PPMID with SMI status 'installed not commissioned'
    And an Electricity Smart Meter that is not in the Smart Metering Inventory
    When the Responsible Supplier sends a 'Join Service' Service Request to join the PPMID to the Electricity Smart Meter
    Then the DCC refuses the request, citing AC-4.6(c)

  @AC-4.7(a)
  @rule-met
  Scenario: A Device joined to an 'installed not commissioned' meter becomes 'installed not commissioned'
    Given an Electricity Smart Meter with SMI status 'installed not commissioned'
    And a PPMID with SMI status 'pending'
    And the Responsible Supplier has sent a 'Join Service' Service Request to join the PPMID to the Electricity Smart Meter
    When the Electricity Smart Meter answers that joining the PPMID was successfully executed
    Then the DCC accepts the response
    And the PPMID is Associated with the Electricity Smart Meter
    And the SMI status of the PPMID is 'installed not commissioned'

  @AC-4.7(a)
  @rule-broken
  Scenario: A Device whose join to an 'installed not commissioned' meter was not successfully executed keeps its own status
    Given an Electricity Smart Meter with SMI status 'installed not commissioned'
    And a PPMID with SMI status 'pending'
    And the Responsible Supplier has sent a 'Join Service' Service Request to join the PPMID to the Electricity Smart Meter
    When the Electricity Smart Meter answers that joining the PPMID was not successfully executed
    Then the PPMID is not Associated with the Electricity Smart Meter
    And the SMI status of the PPMID is still 'pending'

  @AC-4.7(b)
  @rule-met
  Scenario: A Device joined to a 'commissioned' meter becomes 'commissioned'
    Given an Electricity Smart Meter with SMI status 'commissioned'
    And a PPMID with SMI status 'installed not commissioned'
    And the Responsible Supplier has sent a 'Join Service' Service Request to join the PPMID to the Electricity Smart Meter
    When the Electricity Smart Meter answers that joining the PPMID was successfully executed
    Then the DCC accepts the response
    And the PPMID is Associated with the Electricity Smart Meter
    And the SMI status of the PPMID is 'commissioned'

  @AC-4.7
  @rule-met
  Scenario: A Device joined to a 'pending' meter keeps its own status
    Given an Electricity Smart Meter with SMI status 'pending'
    And a PPMID with SMI status 'installed not commissioned'
    And the Responsible Supplier has sent a 'Join Service' Service Request to join the PPMID to the Electricity Smart Meter
    When the Electricity Smart Meter answers that joining the PPMID was successfully executed
    Then the PPMID is Associated with the Electricity Smart Meter
    And the SMI status of the PPMID is still 'installed not commissioned'

  @AC-4.7
  @AC-4.7(b)
  @rule-broken
  Scenario: A join that was not successfully executed neither Associates nor changes the Device
    Given an Electricity Smart Meter with SMI status 'commissioned'
    And a PPMID with SMI status 'installed not commissioned'
    And the Responsible Supplier has sent a 'Join Service' Service Request to join the PPMID to the Electricity Smart Meter
    When the Electricity Smart Meter answers that joining the PPMID was not successfully executed
    Then the PPMID is not Associated with the Electricity Smart Meter
    And the SMI status of the PPMID is still 'installed not commissioned'

  @AC-4.7
  @rule-broken
  Scenario: A Response to a join nobody requested changes nothing
    Given an Electricity Smart Meter with SMI status 'commissioned'
    And a PPMID with SMI status 'installed not commissioned'
    When the Electricity Smart Meter answers that joining the PPMID was successfully executed
    Then the DCC refuses the response, citing AC-4.7
    And the PPMID is not Associated with the Electricity Smart Meter
    And the SMI status of the PPMID is still 'installed not commissioned'

  @AC-4.8(a)
  @rule-met
  Scenario Outline: <party> may join a Type 2 Device to an Electricity Smart Meter
    Given an Electricity Smart Meter with SMI status 'commissioned'
    And an IHD in the Smart Metering Inventory
    When <party> sends a 'Join Service' Service Request to join the IHD to the Electricity Smart Meter
    Then the DCC accepts the request and sends the Join Service command

    Examples:
      | party                     |
      | the Responsible Supplier  |
      | an Other User             |

  @AC-4.8(a)
  @rule-broken
  Scenario: A Supplier that is neither the Responsible Supplier nor acting as an Other User cannot join a Type 2 Device
    Given an Electricity Smart Meter with SMI status 'commissioned'
    And an IHD in the Smart Metering Inventory
    When another Supplier sends a 'Join Service' Service Request to join the IHD to the Electricity Smart Meter
    Then the DCC refuses the request, citing AC-4.8(a)

  @AC-4.8(a)
  @rule-met
  Scenario: A Type 2 Device may be joined to a Gas Proxy Function
    Given a Gas Proxy Function with SMI status 'pending'
    And an IHD in the Smart Metering Inventory
    When an Other User sends a 'Join Service' Service Request to join the IHD to the Gas Proxy Function
    Then the DCC accepts the request and sends the Join Service command

  @AC-4.8(a)
  @rule-broken
  Scenario: A Type 2 Device is joined to an Electricity Smart Meter or a Gas Proxy Function, not to a Gas Smart Meter
    Given a Gas Smart Meter with SMI status 'commissioned'
    And an IHD in the Smart Metering Inventory
    When the Responsible Supplier sends a 'Join Service' Service Request to join the IHD to the Gas Smart Meter
    Then the DCC refuses the request, citing AC-4.8(a)

  @AC-4.8(b)
  @rule-met
  Scenario Outline: A Type 2 Device may be joined to an Electricity Smart Meter that is '<status>'
    Given an Electricity Smart Meter with SMI status '<status>'
    And an IHD in the Smart Metering Inventory
    When an Other User sends a 'Join Service' Service Request to join the IHD to the Electricity Smart Meter
    Then the DCC accepts the request and sends the Join Service command

    Examples:
      | status                     |
      | pending                    |
      | installed not commissioned |

  @AC-4.8(b)
  @rule-broken
  Scenario Outline: No Command joins a Type 2 Device to an Electricity Smart Meter that is '<status>'
    Given an Electricity Smart Meter with SMI status '<status>'
    And an IHD in the Smart Metering Inventory
    When an Other User sends a 'Join Service' Service Request to join the IHD to the Electricity Smart Meter
    Then the DCC refuses the request, citing AC-4.8(b)
    And the IHD is not Associated with the Electricity Smart Meter

    Examples:
      | status         |
      | whitelisted    |
      | decommissioned |
      | withdrawn      |
      | suspended      |

  @AC-4.8(b)
  @rule-broken
  Scenario: No Command joins a Type 2 Device to a meter that is not in the Smart Metering Inventory
    Given an IHD in the Smart Metering Inventory
    And an Electricity Smart Meter that is not in the Smart Metering Inventory
    When an Other User sends a 'Join Service' Service Request to join the IHD to the Electricity Smart Meter
    Then the DCC refuses the request, citing AC-4.8(b)

  @AC-4.8(c)
  @rule-met
  Scenario: A Type 2 Device whose join succeeds is Associated with the meter and still has no SMI Status
    Given an Electricity Smart Meter with SMI status 'commissioned'
    And an IHD in the Smart Metering Inventory
    And the Responsible Supplier has sent a 'Join Service' Service Request to join the IHD to the Electricity Smart Meter
    When the Electricity Smart Meter answers that joining the IHD was successfully executed
    Then the DCC accepts the response
    And the IHD is Associated with the Electricity Smart Meter
    And the IHD has no SMI status

  @AC-4.8(c)
  @rule-broken
  Scenario: A Type 2 Device whose join fails is not Associated with the meter
    Given an Electricity Smart Meter with SMI status 'commissioned'
    And an IHD in the Smart Metering Inventory
    And the Responsible Supplier has sent a 'Join Service' Service Request to join the IHD to the Electricity Smart Meter
    When the Electricity Smart Meter answers that joining the IHD was not successfully executed
    Then the IHD is not Associated with the Electricity Smart Meter

  @AC-4.9
  @rule-met
  Scenario Outline: A <device> is Commissioned by joining it to a Commissioned Electricity Smart Meter
    Given an Electricity Smart Meter with SMI status 'commissioned'
    And <a> <device> with SMI status 'installed not commissioned'
    And the Responsible Supplier has sent a 'Join Service' Service Request to join the <device> to the Electricity Smart Meter
    When the Electricity Smart Meter answers that joining the <device> was successfully executed
    Then the SMI status of the <device> is 'commissioned'

    Examples:
      | a  | device |
      | a  | PPMID  |
      | an | HCALCS |

  @AC-4.9
  @rule-broken
  Scenario: A Type 1 Device joined to an Electricity Smart Meter that is not yet Commissioned is not Commissioned
    Given an Electricity Smart Meter with SMI status 'installed not commissioned'
    And a PPMID with SMI status 'installed not commissioned'
    And the Responsible Supplier has sent a 'Join Service' Service Request to join the PPMID to the Electricity Smart Meter
    When the Electricity Smart Meter answers that joining the PPMID was successfully executed
    Then the SMI status of the PPMID is 'installed not commissioned'

  @AC-4.10
  @rule-met
  Scenario: A Gas Proxy Function is Commissioned by joining it to a Commissioned Gas Smart Meter
    Given a Gas Smart Meter with SMI status 'commissioned'
    And a Gas Proxy Function with SMI status 'pending'
    And the Responsible Supplier has sent a 'Join Service' Service Request to join the Gas Proxy Function to the Gas Smart Meter
    When the Gas Smart Meter answers that joining the Gas Proxy Function was successfully executed
    Then the Gas Proxy Function is Associated with the Gas Smart Meter
    And the SMI status of the Gas Proxy Function is 'commissioned'

  @AC-4.10
  @rule-broken
  Scenario: A Gas Proxy Function joined to a Gas Smart Meter that is not yet Commissioned is not Commissioned
    Given a Gas Smart Meter with SMI status 'installed not commissioned'
    And a Gas Proxy Function with SMI status 'pending'
    And the Responsible Supplier has sent a 'Join Service' Service Request to join the Gas Proxy Function to the Gas Smart Meter
    When the Gas Smart Meter answers that joining the Gas Proxy Function was successfully executed
    Then the SMI status of the Gas Proxy Function is 'installed not commissioned'
