@AC-12.3
Feature: Communications Hubs for CH Production Proving (Appendix AC 12.3)
  To prove its systems in live operation, the DCC Commissions Communications Hub Functions and communicates with them
  over the SM WAN (CH Production Proving). Those Communications Hub Functions, and the Gas Proxy Functions of the same
  hubs, must be in the Smart Metering Inventory; the DCC includes them there only where the Security Sub-Committee has
  approved including those very Devices for that purpose.

  Background:
    Given the Central Products List identifies the SMETS2+ Device Models used here

  @rule-met
  Scenario: A Communications Hub the Security Sub-Committee approved is included for CH Production Proving
    Given the Security Sub-Committee has approved a Communications Hub for CH Production Proving
    When the DCC includes the Communications Hub's Communications Hub Function and Gas Proxy Function in the Smart Metering Inventory for CH Production Proving
    Then the DCC accepts the request
    And the SMI status of the Communications Hub Function is 'pending'
    And the SMI status of the Gas Proxy Function is 'pending'

  @rule-broken
  Scenario: A Communications Hub without the Security Sub-Committee's approval is not included
    Given a Communications Hub that the Security Sub-Committee has not approved for CH Production Proving
    When the DCC includes the Communications Hub's Communications Hub Function and Gas Proxy Function in the Smart Metering Inventory for CH Production Proving
    Then the DCC refuses the request, citing AC-12.3
    And the Communications Hub Function is not in the Smart Metering Inventory
    And the Gas Proxy Function is not in the Smart Metering Inventory

  @rule-broken
  Scenario: An approval for a hub's Communications Hub Function with another Gas Proxy Function does not cover this hub
    Given the Security Sub-Committee has approved the Communications Hub's Communications Hub Function for CH Production Proving only together with another hub's Gas Proxy Function
    When the DCC includes the Communications Hub's Communications Hub Function and Gas Proxy Function in the Smart Metering Inventory for CH Production Proving
    Then the DCC refuses the request, citing AC-12.3
    And the Communications Hub Function is not in the Smart Metering Inventory
