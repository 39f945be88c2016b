@AC-7.1
Feature: Unjoining Devices (Appendix AC 7.1)
  When an 'UnJoin Service' request removing a Device (other than a Communications Hub Function or a Smart Meter)
  from a Smart Meter's or Gas Proxy Function's Device Log is Successfully Executed, the DCC ends the Association
  between the Device and that meter or GPF.

  Background:
    Given the Central Products List identifies the SMETS2+ Device Models used here
    And an Electricity Smart Meter with SMI status 'commissioned'

  @rule-met
  Scenario Outline: A <device> removed from the meter's Device Log is no longer Associated with it
    Given <a> <device> with SMI status 'commissioned'
    And the Responsible Supplier has sent an 'UnJoin Service' Service Request to remove the <device> from the Device Log of the Electricity Smart Meter
    When the Electricity Smart Meter answers that removing the <device> was successfully executed
    Then the DCC accepts the response
    And the <device> is not Associated with the Electricity Smart Meter

    Examples:
      | a | device |
      | a | PPMID  |
      | an | HCALCS |

  @rule-met
  Scenario: A Type 2 Device removed from the meter's Device Log is no longer Associated with it
    Given an IHD in the Smart Metering Inventory
    And the IHD is joined to the Electricity Smart Meter
    And the Responsible Supplier has sent an 'UnJoin Service' Service Request to remove the IHD from the Device Log of the Electricity Smart Meter
    When the Electricity Smart Meter answers that removing the IHD was successfully executed
    Then the IHD is not Associated with the Electricity Smart Meter

  @rule-met
  Scenario: The Responsible Supplier's 'UnJoin Service' request is acted on with an unjoin Command
    Given a PPMID with SMI status 'commissioned'
    When the Responsible Supplier sends an 'UnJoin Service' Service Request to remove the PPMID from the Device Log of the Electricity Smart Meter
    Then the DCC accepts the request and sends the UnJoin Service command
    And the PPMID is Associated with the Electricity Smart Meter

  @rule-broken
  Scenario: An unjoin that was not successfully executed leaves the Association in place
    Given a PPMID with SMI status 'commissioned'
    And the Responsible Supplier has sent an 'UnJoin Service' Service Request to remove the PPMID from the Device Log of the Electricity Smart Meter
    When the Electricity Smart Meter answers that removing the PPMID was not successfully executed
    Then the PPMID is Associated with the Electricity Smart Meter

  @rule-broken
  Scenario: A Response to an unjoin nobody requested leaves the Association in place
    Given a PPMID with SMI status 'commissioned'
    When the Electricity Smart Meter answers that removing the PPMID was successfully executed
    Then the DCC refuses the response, citing AC-7.1
    And the PPMID is Associated with the Electricity Smart Meter

  @rule-broken
  Scenario: A Smart Meter is not unjoined with the UnJoin Service
    Given a Gas Smart Meter with SMI status 'commissioned'
    And a Gas Proxy Function with SMI status 'commissioned'
    When the Responsible Supplier sends an 'UnJoin Service' Service Request to remove the Gas Smart Meter from the Device Log of the Gas Proxy Function
    Then the DCC refuses the request, citing AC-7.1

  @rule-broken
  Scenario: A Communications Hub Function is not unjoined with the UnJoin Service
    When the Responsible Supplier sends an 'UnJoin Service' Service Request to remove the Communications Hub Function from the Device Log of the Electricity Smart Meter
    Then the DCC refuses the request, citing AC-7.1

  @rule-broken
  Scenario: A Device that is not joined to the meter cannot be removed from its Device Log
    Given a PPMID with SMI status 'installed not commissioned'
    When the Responsible Supplier sends an 'UnJoin Service' Service Request to remove the PPMID from the Device Log of the Electricity Smart Meter
    Then the DCC refuses the request, citing AC-7.1
