@F2.6
Feature: Notices before a CPA Certificate expires (Section F2.6)
  The Panel notifies the Parties on or around the dates 12 and 6 months before a Device Model's CPA Certificate
  is due to expire. The reference DCC's CPL administration gives these notices from the expiry date on the list
  (F2.2(g)), on its virtual clock.

  Background:
    Given the Central Products List lists a new Electricity Smart Meter Device Model whose CPA Certificate expires in 18 months

  @rule-broken
  Scenario: No notice is given more than 12 months before the CPA Certificate expires
    When the DCC's clock reaches 13 months before that CPA Certificate expires
    Then no notice about that Device Model's CPA Certificate has been sent

  @rule-met
  Scenario: The Parties are notified about 12 months before the CPA Certificate expires
    When the DCC's clock reaches 12 months before that CPA Certificate expires
    Then the Parties have been notified that the CPA Certificate of that Device Model expires in about 12 months
    And the Parties have been notified 1 time about that Device Model's CPA Certificate

  @rule-met
  Scenario: The Parties are notified again about 6 months before the CPA Certificate expires
    When the DCC's clock reaches 12 months before that CPA Certificate expires
    And the DCC's clock reaches 6 months before that CPA Certificate expires
    Then the Parties have been notified that the CPA Certificate of that Device Model expires in about 6 months
    And the Parties have been notified 2 times about that Device Model's CPA Certificate
