@AC-4.3 @AC-4.4
Feature: Adding Devices to a Communications Hub Function's Device Log (Appendix AC 4.3–4.4)
  After an 'Update HAN Device Log' adding a Device succeeds, the DCC Associates the Device with the CHF, records a
  Smart Meter's MPAN(s) or MPRN and tells the Electricity Distributor or Gas Transporter, and sets every Device but
  a Type 2 Device to 'whitelisted'. When the CHF then alerts that it can talk to the Device over the HAN, the Device
  becomes 'installed not commissioned' – unless it is a Type 2 Device or already 'commissioned'.

  Background:
    Given the Central Products List identifies the SMETS2+ Device Models used here
    And a Communications Hub Function with SMI status 'commissioned'

  @AC-4.3(a)
  @rule-met
  Scenario: A Device added to the Device Log is Associated with the Communications Hub Function
    Given a PPMID with SMI status 'pending'
    When the Responsible Supplier adds the PPMID to the Device Log of the Communications Hub Function
    Then the DCC accepts the request
    And the PPMID is Associated with the Communications Hub Function
    And Read Inventory of the Communications Hub Function lists the PPMID

  @AC-4.3(a)
  @rule-broken
  Scenario: A Device that is not in the Smart Metering Inventory is not Associated with the Communications Hub Function
    Given a PPMID that is not in the Smart Metering Inventory
    When the Responsible Supplier adds the PPMID to the Device Log of the Communications Hub Function
    Then the DCC refuses the request, citing AC-4.3(a)
    And the PPMID is not in the Smart Metering Inventory

  @AC-4.3(b)
  @rule-met
  Scenario: An Electricity Smart Meter's MPAN is recorded and its Electricity Distributor told
    Given an Electricity Smart Meter with SMI status 'pending'
    When the Responsible Supplier adds the Electricity Smart Meter to the Device Log of the Communications Hub Function
    Then the DCC accepts the request
    And the Smart Metering Inventory records the MPAN against the Electricity Smart Meter
    And the Electricity Distributor is notified of the Electricity Smart Meter's MPAN, Device ID and Device Type

  @AC-4.3(b)
  @rule-met
  Scenario: A Gas Smart Meter's MPRN is recorded and its Gas Transporter told
    Given a Gas Smart Meter with SMI status 'pending'
    When the Responsible Supplier adds the Gas Smart Meter to the Device Log of the Communications Hub Function
    Then the DCC accepts the request
    And the Smart Metering Inventory records the MPRN against the Gas Smart Meter
    And the Gas Transporter is notified of the Gas Smart Meter's MPRN, Device ID and Device Type

  @AC-4.3(b)
  @rule-met
  Scenario: Only Smart Meters have MPANs or MPRNs recorded, and only their network operators are told
    Given a PPMID with SMI status 'pending'
    When the Responsible Supplier adds the PPMID to the Device Log of the Communications Hub Function
    Then the DCC accepts the request
    And the PPMID has no MPAN recorded against it
    And neither the Electricity Distributor nor the Gas Transporter is notified about the PPMID

  @AC-4.3(b)
  @rule-broken
  Scenario: A Device other than a Smart Meter is not given an MPAN
    Given a PPMID with SMI status 'pending'
    When the Responsible Supplier adds the PPMID to the Device Log of the Communications Hub Function with MPAN '1012345678901'
    Then the DCC refuses the request, citing AC-4.3(b)
    And the SMI status of the PPMID is still 'pending'

  @AC-4.3(b)
  @rule-broken
  Scenario: A Smart Meter is not recorded against something that is not an MPAN
    Given an Electricity Smart Meter with SMI status 'pending'
    When the Responsible Supplier adds the Electricity Smart Meter to the Device Log of the Communications Hub Function with MPAN '12AB'
    Then the DCC refuses the request, citing AC-4.3(b)
    And the SMI status of the Electricity Smart Meter is still 'pending'

  @AC-4.3(c)
  @rule-met
  Scenario Outline: A Device other than a Type 2 Device added to the Device Log becomes 'whitelisted'
    Given <a> <device> with SMI status 'pending'
    When the Responsible Supplier adds the <device> to the Device Log of the Communications Hub Function
    Then the DCC accepts the request
    And the SMI status of the <device> is 'whitelisted'

    Examples:
      | a  | device                  |
      | an | Electricity Smart Meter |
      | a  | Gas Smart Meter         |
      | a  | PPMID                   |
      | an | HCALCS                  |

  @AC-4.3(c)
  @rule-met
  Scenario: A Type 2 Device added to the Device Log is Associated but gets no SMI Status
    Given an IHD in the Smart Metering Inventory
    When the Responsible Supplier adds the IHD to the Device Log of the Communications Hub Function
    Then the DCC accepts the request
    And the IHD is Associated with the Communications Hub Function
    And the IHD has no SMI status

  @AC-4.3(c)
  @rule-broken
  Scenario Outline: A Device that has left service is not whitelisted by a Device Log entry
    Given a PPMID with SMI status '<status>'
    When the Responsible Supplier adds the PPMID to the Device Log of the Communications Hub Function
    Then the DCC refuses the request, citing AC-4.3(c)
    And the SMI status of the PPMID is still '<status>'

    Examples:
      | status         |
      | decommissioned |
      | withdrawn      |

  @AC-4.4
  @rule-met
  Scenario Outline: A whitelisted Device the Communications Hub Function can talk to becomes 'installed not commissioned'
    Given <a> <device> with SMI status 'whitelisted'
    When the Communications Hub Function alerts that it can communicate over the HAN with the <device>
    Then the DCC accepts the alert
    And the SMI status of the <device> is 'installed not commissioned'

    Examples:
      | a  | device                  |
      | an | Electricity Smart Meter |
      | a  | Gas Smart Meter         |
      | a  | PPMID                   |

  @AC-4.4
  @rule-met
  Scenario: A 'commissioned' Device stays 'commissioned' when the Communications Hub Function reports it on the HAN
    Given an Electricity Smart Meter with SMI status 'commissioned'
    When the Communications Hub Function alerts that it can communicate over the HAN with the Electricity Smart Meter
    Then the DCC accepts the alert
    And the SMI status of the Electricity Smart Meter is still 'commissioned'

  @AC-4.4
  @rule-met
  Scenario: A Type 2 Device reported on the HAN still has no SMI Status
    Given an IHD in the Smart Metering Inventory
    And the IHD is in the Device Log of the Communications Hub Function
    When the Communications Hub Function alerts that it can communicate over the HAN with the IHD
    Then the DCC accepts the alert
    And the IHD has no SMI status

  @AC-4.4
  @rule-broken
  Scenario: An alert about a Device not in the Communications Hub Function's Device Log changes nothing
    Given a PPMID with SMI status 'pending'
    When the Communications Hub Function alerts that it can communicate over the HAN with the PPMID
    Then the DCC refuses the alert, citing AC-4.4
    And the SMI status of the PPMID is still 'pending'
