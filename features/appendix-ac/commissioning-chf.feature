@AC-4.1 @AC-4.2
Feature: Commissioning a Communications Hub Function (Appendix AC 4.1–4.2)
  When a Communications Hub Function that is not yet 'commissioned' tells the DCC it has connected to the SM WAN,
  the DCC sets it to 'commissioned' – but only once it has confirmed the communication comes, unaltered, from
  that CHF, and only for a CHF the Smart Metering Inventory lists as 'pending' or 'installed not commissioned'.

  Background:
    Given the Central Products List identifies the SMETS2+ Device Models used here

  @AC-4.1
  @AC-4.2(a) @AC-4.2(b) @AC-4.2(c)
  @rule-met
  Scenario: A 'pending' Communications Hub Function that connects to the SM WAN is commissioned
    Given a Communications Hub Function with SMI status 'pending'
    When the Communications Hub Function connects to the SM WAN
    Then the DCC accepts the communication
    And the SMI status of the Communications Hub Function is 'commissioned'

  @AC-4.1
  @rule-met
  Scenario: A Communications Hub Function already 'commissioned' that connects again stays 'commissioned'
    Given a Communications Hub Function with SMI status 'commissioned'
    When the Communications Hub Function connects to the SM WAN
    Then the DCC accepts the communication
    And the SMI status of the Communications Hub Function is still 'commissioned'

  @AC-4.1
  @rule-met
  Scenario: Connecting the Communications Hub Function commissions it, not its Gas Proxy Function
    Given a Communications Hub Function with SMI status 'pending'
    When the Communications Hub Function connects to the SM WAN
    Then the SMI status of the Communications Hub Function is 'commissioned'
    And the SMI status of the Gas Proxy Function is still 'pending'

  @AC-4.2(a)
  @rule-broken
  Scenario: A Communications Hub Function that is not in the Smart Metering Inventory is not commissioned
    Given a Communications Hub Function that is not in the Smart Metering Inventory
    When the Communications Hub Function connects to the SM WAN
    Then the DCC refuses the communication, citing AC-4.2(a)
    And the Communications Hub Function is not in the Smart Metering Inventory

  @AC-4.2(b)
  @rule-broken
  Scenario Outline: A Communications Hub Function that is neither 'pending' nor 'installed not commissioned' is not commissioned
    Given a Communications Hub Function with SMI status '<status>'
    When the Communications Hub Function connects to the SM WAN
    Then the DCC refuses the communication, citing AC-4.2(b)
    And the SMI status of the Communications Hub Function is still '<status>'

    Examples:
      | status         |
      | decommissioned |
      | withdrawn      |
      | suspended      |

  @AC-4.2(c)
  @rule-broken
  Scenario: A communication that may have changed in transit does not commission the Communications Hub Function
    Given a Communications Hub Function with SMI status 'pending'
    When the Communications Hub Function's communication that it has connected reaches the DCC altered in transit
    Then the DCC refuses the communication, citing AC-4.2(c)
    And the SMI status of the Communications Hub Function is still 'pending'

  @AC-4.2(c)
  @rule-broken
  Scenario: A communication that does not originate from the Communications Hub Function it names does not commission it
    Given a Communications Hub Function with SMI status 'pending'
    When a communication naming the Communications Hub Function reaches the DCC from another origin
    Then the DCC refuses the communication, citing AC-4.2(c)
    And the SMI status of the Communications Hub Function is still 'pending'
