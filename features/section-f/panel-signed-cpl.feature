@F2.14 @F2.15
Feature: The Panel-signed Central Products List and the DCC's use of it (Section F2.14(a), F2.15)
  The Panel gives the DCC each updated Central Products List digitally signed, so the DCC can check it comes from
  the Panel. The DCC relies on the list it most recently received, once it has confirmed the signature is the
  Panel's, and has 24 hours from receipt to make the Smart Metering Inventory reflect it.

  Background:
    Given the Central Products List identifies the SMETS2+ Device Models used here

  @F2.14(a) @F2.15
  @F2.15(a)
  @rule-met
  Scenario: A Central Products List signed by the Panel becomes the one the DCC relies on
    When the Panel gives the DCC a signed Central Products List that adds a new Electricity Smart Meter Device Model
    Then the DCC accepts the CPL
    And the DCC holds the Panel's latest Central Products List
    And the new Device Model is on the DCC's Central Products List

  @F2.15
  @rule-met
  Scenario: The DCC relies on the latest list: a Device of a Device Model it adds becomes eligible
    Given the Panel gives the DCC a signed Central Products List that adds a new Electricity Smart Meter Device Model
    When the Responsible Supplier adds an Electricity Smart Meter of the new Device Model to the Smart Metering Inventory
    Then the DCC accepts the request

  @F2.14(a)
  @rule-broken
  Scenario: A Central Products List with no signature is refused
    When the DCC is given a Central Products List that adds a new Electricity Smart Meter Device Model without any signature
    Then the DCC refuses the CPL, citing F2.14(a)
    And the new Device Model is not on the DCC's Central Products List

  @F2.14(a)
  @rule-broken
  Scenario: A signed document that is not a Central Products List is refused
    When the DCC is given a Panel-signed Central Products List whose payload is not a list of Device Models
    Then the DCC refuses the CPL, citing F2.14(a)

  @F2.15(a)
  @rule-broken
  Scenario: A Central Products List signed with a key that is not the Panel's is refused and not relied on
    When the DCC is given a Central Products List that adds a new Electricity Smart Meter Device Model, signed with a key that is not the Panel's
    Then the DCC refuses the CPL, citing F2.15(a)
    And the new Device Model is not on the DCC's Central Products List

  @F2.15(a)
  @rule-broken
  Scenario: A Device of a Device Model only a forged list names is not eligible
    Given the DCC is given a Central Products List that adds a new Electricity Smart Meter Device Model, signed with a key that is not the Panel's
    When the Responsible Supplier adds an Electricity Smart Meter of the new Device Model to the Smart Metering Inventory
    Then the DCC refuses the request, citing AC-2.6

  @F2.15(a)
  @rule-broken
  Scenario: A Central Products List changed after the Panel signed it is refused
    When the DCC is given a Central Products List signed by the Panel whose payload was then altered to add a new Electricity Smart Meter Device Model
    Then the DCC refuses the CPL, citing F2.15(a)
    And the new Device Model is not on the DCC's Central Products List

  @F2.15
  @rule-broken
  Scenario: An older Central Products List does not replace the one the DCC most recently received
    When the DCC is given a Panel-signed Central Products List older than the one it holds that adds a new Electricity Smart Meter Device Model
    Then the DCC refuses the CPL, citing F2.15
    And the new Device Model is not on the DCC's Central Products List

  @F2.15(b)
  @rule-met
  Scenario: Within 24 hours of a list without a Device Model, the DCC Suspends the Devices of that model
    Given an Electricity Smart Meter with SMI status 'commissioned'
    When the Device Model of the Electricity Smart Meter is removed from the Central Products List
    And the DCC's 24 hours to update the Smart Metering Inventory pass
    Then the SMI status of the Electricity Smart Meter is 'suspended'

  @F2.15(b)
  @rule-met @rule-broken
  Scenario: Devices of a Device Model still on the list keep their status
    Given an Electricity Smart Meter with SMI status 'commissioned'
    And a PPMID with SMI status 'installed not commissioned'
    When the Device Model of the PPMID is removed from the Central Products List
    And the DCC's 24 hours to update the Smart Metering Inventory pass
    Then the SMI status of the Electricity Smart Meter is still 'commissioned'
    And the SMI status of the PPMID is 'suspended'

  @F2.15(b)
  @rule-met
  Scenario: Within 24 hours of a list that restores a Device Model, its Devices are no longer Suspended
    Given an Electricity Smart Meter with SMI status 'suspended'
    When the Device Model of the Electricity Smart Meter is added back to the Central Products List
    And the DCC's 24 hours to update the Smart Metering Inventory pass
    Then the SMI status of the Electricity Smart Meter is 'installed not commissioned'
