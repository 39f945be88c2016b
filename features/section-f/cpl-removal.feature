@F2.12
Feature: A Device Model whose CPA Certificate expires leaves the Central Products List (Section F2.12)
  Where a Device Model's Assurance Certificate is withdrawn or cancelled, or its CPA Certificate expires, the Panel
  removes the Device Model from the Central Products List. The DCC, playing the Panel's part at its CPL
  administration, takes a Device Model off the list it relies on the day its CPA Certificate expires, and does not
  rely on a Panel-signed list that still names a Device Model whose CPA Certificate had expired when the list was
  issued. Devices of a Device Model that has left the list are Suspended (Appendix AC 8.3), and no more are added.

  Background:
    Given the Central Products List identifies the SMETS2+ Device Models used here
    And the Central Products List lists a new Electricity Smart Meter Device Model whose CPA Certificate expires in 18 months

  @rule-broken
  Scenario: A Device Model stays on the Central Products List while its CPA Certificate is valid
    Given an Electricity Smart Meter of that Device Model with SMI status 'installed not commissioned'
    When the DCC's clock reaches a day before that CPA Certificate expires
    Then that Device Model is still on the DCC's Central Products List
    And the SMI status of the Electricity Smart Meter is still 'installed not commissioned'

  @rule-met
  Scenario: A Device Model leaves the Central Products List when its CPA Certificate expires, and its Devices are Suspended
    Given an Electricity Smart Meter of that Device Model with SMI status 'installed not commissioned'
    When the DCC's clock reaches a day after that CPA Certificate expires
    Then that Device Model is no longer on the DCC's Central Products List
    And the SMI status of the Electricity Smart Meter is now 'suspended'

  @rule-broken
  Scenario: No more Devices of a Device Model are added once its CPA Certificate has expired
    When the DCC's clock reaches a day after that CPA Certificate expires
    And the Responsible Supplier adds an Electricity Smart Meter of the new Device Model to the Smart Metering Inventory
    Then the DCC refuses the request, citing AC-2.6
    And the Electricity Smart Meter is not in the Smart Metering Inventory

  @rule-broken
  Scenario: A Central Products List that still names a Device Model whose CPA Certificate has expired is not relied on
    When the Panel gives the DCC a signed Central Products List that adds a new Electricity Smart Meter Device Model whose CPA Certificate expired yesterday
    Then the DCC refuses the CPL, citing F2.12
    And that Device Model is not on the DCC's Central Products List
