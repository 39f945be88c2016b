@F2.2 @F2.8 @F2.11
Feature: Central Products List entries (Section F2.2, F2.8, F2.11)
  Each Device Model on the Central Products List is identified by Device Type with its manufacturer and model,
  hardware version and firmware version (each with Manufacturer Release Notes), a Firmware Hash, the SMETS or CHTS
  version, its Assurance Certificate numbers and its CPA Certificate's expiry date. A firmware version goes on the
  list only with a Firmware Hash whose digital signature has been confirmed as the named Manufacturer's – also when
  it is an additional firmware version of a Device Model already listed, where F2.11 has the Panel ensure F2.8 is
  met (so the refusal cites the F2.8 requirement not met). The DCC, playing the Panel's part at its CPL
  administration, refuses an issue that breaks this, whole, and keeps the list it had.

  Background:
    Given the Central Products List identifies the SMETS2+ Device Models used here

  @F2.2
  @rule-met
  Scenario: A Device Model with every F2.2 field is listed
    When the Panel gives the DCC a signed Central Products List that adds a new Electricity Smart Meter Device Model
    Then the DCC accepts the CPL
    And the DCC's Central Products List shows every F2.2 field of the new Device Model's entry

  @F2.2
  @rule-met
  Scenario: A SMETS1 Device Model, which carries no Assurance Certificates, is listed
    When the Panel gives the DCC a signed Central Products List that adds a new SMETS1 Electricity Smart Meter Device Model
    Then the DCC accepts the CPL
    And the new Device Model is on the DCC's Central Products List

  @F2.2
  @rule-broken
  Scenario Outline: An entry without its <field> is refused and the list the DCC had stays in use
    Given an Electricity Smart Meter with SMI status 'pending'
    When the Panel gives the DCC a signed Central Products List whose entry for a new Electricity Smart Meter Device Model lacks its <field>
    Then the DCC refuses the CPL, citing F2.2
    And the new Device Model is not on the DCC's Central Products List
    And the Device Model of the Electricity Smart Meter is still on the DCC's Central Products List

    Examples:
      | field                                               |
      | manufacturer                                        |
      | model                                               |
      | hardware version                                    |
      | Manufacturer Release Notes for the hardware version |
      | firmware version                                    |
      | Manufacturer Release Notes for the firmware version |
      | Firmware Hash                                       |
      | SMETS or CHTS version                               |
      | Assurance Certificate numbers                       |
      | CPA Certificate expiry date                         |

  @F2.8(a)
  @rule-broken
  Scenario: A firmware version is not listed without the Manufacturer's identity to check its Firmware Hash against
    When the Panel gives the DCC a signed Central Products List whose entry for a new Electricity Smart Meter Device Model lacks its Manufacturer's identity
    Then the DCC refuses the CPL, citing F2.8(a)
    And the new Device Model is not on the DCC's Central Products List

  @F2.8(b)
  @rule-broken
  Scenario: A firmware version is not listed without a digitally signed Firmware Hash
    When the Panel gives the DCC a signed Central Products List whose entry for a new Electricity Smart Meter Device Model lacks its Manufacturer's signature over the Firmware Hash
    Then the DCC refuses the CPL, citing F2.8(b)
    And the new Device Model is not on the DCC's Central Products List

  @F2.8(c)
  @rule-broken
  Scenario: A firmware version whose Firmware Hash is not signed by the named Manufacturer is not listed
    When the Panel gives the DCC a signed Central Products List whose entry for a new Electricity Smart Meter Device Model has a Firmware Hash signed by a key that is not the Manufacturer's
    Then the DCC refuses the CPL, citing F2.8(c)
    And the new Device Model is not on the DCC's Central Products List

  @F2.8
  @F2.8(a) @F2.8(b) @F2.8(c)
  @rule-met
  Scenario: A firmware version whose Firmware Hash is signed by the named Manufacturer is listed
    When the Panel gives the DCC a signed Central Products List that adds a new Gas Smart Meter Device Model
    Then the DCC accepts the CPL
    And the new Device Model is on the DCC's Central Products List

  @F2.11
  @rule-met
  Scenario: An additional firmware version of a listed Device Model is listed with the Manufacturer's signed Firmware Hash
    Given an Electricity Smart Meter with SMI status 'installed not commissioned'
    When the Panel gives the DCC a signed Central Products List that adds a new firmware version of the Electricity Smart Meter's Device Model with a Firmware Hash signed by the Manufacturer
    Then the DCC accepts the CPL
    And the new Device Model is on the DCC's Central Products List
    And the Device Model of the Electricity Smart Meter is still on the DCC's Central Products List

  @F2.11
  @rule-broken
  Scenario: An additional firmware version of a listed Device Model is not listed without the Manufacturer's signed Firmware Hash
    Given an Electricity Smart Meter with SMI status 'installed not commissioned'
    When the Panel gives the DCC a signed Central Products List that adds a new firmware version of the Electricity Smart Meter's Device Model with a Firmware Hash not signed by the Manufacturer
    Then the DCC refuses the CPL, citing F2.8(c)
    And the new Device Model is not on the DCC's Central Products List
    And the SMI status of the Electricity Smart Meter is still 'installed not commissioned'
