@AC-10.1 @PPC-4.8(c)
Feature: Removing a SMETS1 Communications Hub (Appendix AC 10.1; BEIS consultation chapter 3, 4.8)
  Before (or, if not practicable, as soon as possible after) removing a SMETS1 Communications Hub, its Lead Supplier
  ensures the SMETS1 Communications Hub Function is set to 'decommissioned'. Only the Lead Supplier for a SMETS1
  CHF may Decommission it.

  Background:
    Given the Central Products List identifies the SMETS1 Device Models used here
    And the Responsible Supplier has given the DCC its SMETS1 declaration for the Device Model of the Communications Hub Function

  @rule-met
  Scenario Outline: The Lead Supplier sets a '<status>' SMETS1 Communications Hub Function to 'decommissioned'
    Given a SMETS1 Communications Hub Function with SMI status '<status>'
    When the Lead Supplier decommissions the Communications Hub Function
    Then the DCC accepts the request
    And the SMI status of the Communications Hub Function is 'decommissioned'

    Examples:
      | status       |
      | pending      |
      | commissioned |

  @rule-broken
  Scenario: A Responsible Supplier of the hub that is not its Lead Supplier cannot Decommission the SMETS1 Communications Hub Function
    Given a SMETS1 Communications Hub Function with SMI status 'commissioned'
    When the Gas Supplier decommissions the Communications Hub Function
    Then the DCC refuses the request, citing AC-10.1
    And the SMI status of the Communications Hub Function is still 'commissioned'

  @rule-broken
  Scenario: Another Supplier cannot Decommission the SMETS1 Communications Hub Function
    Given a SMETS1 Communications Hub Function with SMI status 'commissioned'
    When another Supplier decommissions the Communications Hub Function
    Then the DCC refuses the request, citing AC-10.1
    And the SMI status of the Communications Hub Function is still 'commissioned'

  @rule-broken
  Scenario: An Other User cannot Decommission the SMETS1 Communications Hub Function
    Given a SMETS1 Communications Hub Function with SMI status 'commissioned'
    When an Other User decommissions the Communications Hub Function
    Then the DCC refuses the request, citing AC-10.1
    And the SMI status of the Communications Hub Function is still 'commissioned'
