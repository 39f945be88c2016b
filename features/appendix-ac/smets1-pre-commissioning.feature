@AC-3.4 @AC-3.5 @AC-3.8 @AC-3.9 @AC-3.10
Feature: Pre-commissioning obligations for SMETS1 Devices (Appendix AC 3.4–3.10)
  Before a SMETS1 Device is added to the Smart Metering Inventory, the User gives the Service Desk its Device ID
  and the information the DCC requires for its Device Model; without it the DCC does not add the Device. Before a
  Supplier Party seeks to Commission a Device as SMETS1, it gives the DCC its signed declaration that the Device
  Model is a SMETS1 model; the DCC Commissions nothing without that declaration from the Supplier Party asking. The
  DCC obeys a Panel direction not to Commission a Device whose SMETS1 status is disputed.

  Background:
    Given the Central Products List identifies the SMETS1 Device Models used here
    And the SMETS1 Device Models used here form an Eligible Product Combination

  @AC-3.4
  @rule-met
  Scenario: The Service Desk takes a SMETS1 Device's Device ID and Device Model information
    When the Responsible Supplier gives the Service Desk the Device ID and Device Model information of the SMETS1 Electricity Smart Meter
    Then the DCC accepts the request

  @AC-3.4 @AC-3.5
  @rule-met
  Scenario Outline: A SMETS1 <device> whose details the Service Desk has been given is added as 'pending'
    Given the Service Desk has been given the Device ID and Device Model information of the SMETS1 <device>
    When the Responsible Supplier adds a SMETS1 <device> to the Smart Metering Inventory
    Then the DCC accepts the request
    And the SMI status of the <device> is 'pending'

    Examples:
      | device                  |
      | Electricity Smart Meter |
      | Gas Smart Meter         |
      | PPMID                   |
      | HCALCS                  |

  @AC-3.5
  @rule-broken
  Scenario Outline: A SMETS1 <device> is not added before the Service Desk has been given its details
    When the Responsible Supplier adds a SMETS1 <device> to the Smart Metering Inventory
    Then the DCC refuses the request, citing AC-3.5
    And the <device> is not in the Smart Metering Inventory

    Examples:
      | device                  |
      | Electricity Smart Meter |
      | Gas Smart Meter         |
      | PPMID                   |
      | HCALCS                  |

  @AC-3.5
  @rule-broken
  Scenario: Details given to the Service Desk under another Device ID do not allow the SMETS1 Device to be added
    Given the Service Desk has been given the details of the SMETS1 Electricity Smart Meter under the Device ID of the other Electricity Smart Meter
    When the Responsible Supplier adds a SMETS1 Electricity Smart Meter to the Smart Metering Inventory
    Then the DCC refuses the request, citing AC-3.5
    And the Electricity Smart Meter is not in the Smart Metering Inventory

  @AC-3.5
  @rule-broken
  Scenario: A SMETS1 Communications Hub is not added before the Service Desk has been given its details
    When the Responsible Supplier adds a SMETS1 Communications Hub's Communications Hub Function and Gas Proxy Function to the Smart Metering Inventory
    Then the DCC refuses the request, citing AC-3.5
    And the Communications Hub Function is not in the Smart Metering Inventory

  @AC-3.8
  @rule-met
  Scenario: The Supplier Party gives the DCC its SMETS1 declaration for a Device Model
    When the Responsible Supplier gives the DCC its SMETS1 declaration for the Device Model of the Electricity Smart Meter
    Then the DCC accepts the declaration

  @AC-3.8
  @rule-broken
  Scenario: A party that is not a Supplier Party cannot give the SMETS1 declaration
    When an Other User gives the DCC its SMETS1 declaration for the Device Model of the Electricity Smart Meter
    Then the DCC refuses the declaration, citing AC-3.8

  @AC-3.8
  @rule-broken
  Scenario: A SMETS1 declaration must give the Supplier Party's full legal name
    When the Responsible Supplier gives the DCC a SMETS1 declaration for the Device Model of the Electricity Smart Meter without the Supplier Party's full legal name
    Then the DCC refuses the declaration, citing AC-3.8

  @AC-3.8
  @rule-broken
  Scenario: A SMETS1 declaration must say who signed it
    When the Responsible Supplier gives the DCC a SMETS1 declaration for the Device Model of the Electricity Smart Meter that does not say who signed it
    Then the DCC refuses the declaration, citing AC-3.8

  @AC-3.9
  @rule-met
  Scenario: A SMETS1 Smart Meter is Commissioned once the Supplier Party asking has declared its Device Model
    Given the Responsible Supplier has given the DCC its SMETS1 declaration for the Device Model of the Communications Hub Function
    And the Responsible Supplier has given the DCC its SMETS1 declaration for the Device Model of the Electricity Smart Meter
    And a SMETS1 Electricity Smart Meter with SMI status 'installed not commissioned'
    When the Responsible Supplier sends a 'Commission Device' Service Request for the Electricity Smart Meter
    Then the DCC accepts the request and sends the Commission Device command

  @AC-3.9
  @rule-broken
  Scenario: A SMETS1 Smart Meter is not Commissioned without a declaration for its Device Model
    Given the Responsible Supplier has given the DCC its SMETS1 declaration for the Device Model of the Communications Hub Function
    And a SMETS1 Electricity Smart Meter with SMI status 'installed not commissioned'
    When the Responsible Supplier sends a 'Commission Device' Service Request for the Electricity Smart Meter
    Then the DCC refuses the request, citing AC-3.9
    And the SMI status of the Electricity Smart Meter is still 'installed not commissioned'

  @AC-3.9
  @rule-broken
  Scenario: Another Supplier's declaration does not stand for the Supplier Party requesting Commissioning
    Given the Responsible Supplier has given the DCC its SMETS1 declaration for the Device Model of the Communications Hub Function
    And another Supplier has given the DCC its SMETS1 declaration for the Device Model of the Electricity Smart Meter
    And a SMETS1 Electricity Smart Meter with SMI status 'installed not commissioned'
    When the Responsible Supplier sends a 'Commission Device' Service Request for the Electricity Smart Meter
    Then the DCC refuses the request, citing AC-3.9

  @AC-3.9
  @rule-broken
  Scenario: A declaration for another firmware version is a declaration for another Device Model
    Given the Responsible Supplier has given the DCC its SMETS1 declaration for the Device Model of the Communications Hub Function
    And the Responsible Supplier has given the DCC its SMETS1 declaration for a different firmware version of the Electricity Smart Meter's Device Model
    And a SMETS1 Electricity Smart Meter with SMI status 'installed not commissioned'
    When the Responsible Supplier sends a 'Commission Device' Service Request for the Electricity Smart Meter
    Then the DCC refuses the request, citing AC-3.9

  @AC-3.9
  @rule-broken
  Scenario: A SMETS1 Communications Hub Function is not Commissioned without its Lead Supplier's declaration
    Given a SMETS1 Communications Hub Function with SMI status 'pending'
    When the Communications Hub Function connects to the SM WAN
    Then the DCC refuses the communication, citing AC-3.9
    And the SMI status of the Communications Hub Function is still 'pending'

  @AC-3.9
  @rule-met
  Scenario: A SMETS1 Communications Hub Function is Commissioned once its Lead Supplier has declared its Device Model
    Given the Responsible Supplier has given the DCC its SMETS1 declaration for the Device Model of the Communications Hub Function
    And a SMETS1 Communications Hub Function with SMI status 'pending'
    When the Communications Hub Function connects to the SM WAN
    Then the DCC accepts the communication
    And the SMI status of the Communications Hub Function is 'commissioned'

  @AC-3.9
  @rule-broken
  Scenario: A SMETS1 Type 1 Device is not Commissioned by a join without a declaration for its Device Model
    Given the Responsible Supplier has given the DCC its SMETS1 declaration for the Device Model of the Communications Hub Function
    And the Responsible Supplier has given the DCC its SMETS1 declaration for the Device Model of the Electricity Smart Meter
    And a SMETS1 Electricity Smart Meter with SMI status 'commissioned'
    And a SMETS1 PPMID with SMI status 'installed not commissioned'
    When the Responsible Supplier sends a 'Join Service' Service Request to join the PPMID to the Electricity Smart Meter
    Then the DCC refuses the request, citing AC-3.9
    And the SMI status of the PPMID is still 'installed not commissioned'

  @AC-3.10 @PPC-4.8(b)
  @rule-broken
  Scenario: The DCC does not Commission a SMETS1 Smart Meter the Panel has directed it not to
    Given the Responsible Supplier has given the DCC its SMETS1 declaration for every SMETS1 Device Model used here
    And a SMETS1 Electricity Smart Meter with SMI status 'installed not commissioned'
    And the Panel has directed the DCC not to Commission the Electricity Smart Meter until a dispute about whether it is a SMETS1 Device is resolved
    When the Responsible Supplier sends a 'Commission Device' Service Request for the Electricity Smart Meter
    Then the DCC refuses the request, citing AC-3.10
    And the SMI status of the Electricity Smart Meter is still 'installed not commissioned'

  @AC-3.10 @PPC-4.8(b)
  @rule-met
  Scenario: The DCC Commissions the SMETS1 Smart Meter once the Panel has lifted its direction
    Given the Responsible Supplier has given the DCC its SMETS1 declaration for every SMETS1 Device Model used here
    And a SMETS1 Electricity Smart Meter with SMI status 'installed not commissioned'
    And the Panel has directed the DCC not to Commission the Electricity Smart Meter until a dispute about whether it is a SMETS1 Device is resolved
    And the Panel has since lifted its direction about the Electricity Smart Meter
    When the Responsible Supplier sends a 'Commission Device' Service Request for the Electricity Smart Meter
    Then the DCC accepts the request and sends the Commission Device command

  @AC-3.10 @PPC-4.8(b)
  @rule-broken
  Scenario: The DCC does not Commission a SMETS1 Communications Hub Function the Panel has directed it not to
    Given the Responsible Supplier has given the DCC its SMETS1 declaration for the Device Model of the Communications Hub Function
    And a SMETS1 Communications Hub Function with SMI status 'pending'
    And the Panel has directed the DCC not to Commission the Communications Hub Function until a dispute about whether it is a SMETS1 Device is resolved
    When the Communications Hub Function connects to the SM WAN
    Then the DCC refuses the communication, citing AC-3.10
    And the SMI status of the Communications Hub Function is still 'pending'

  @AC-3.10
  @rule-broken
  Scenario: A direction under AC 3.10 concerns Devices purported to be SMETS1 Devices
    Given the Central Products List identifies the SMETS2+ Device Models used here
    And an Electricity Smart Meter with SMI status 'installed not commissioned'
    When the Panel directs the DCC not to Commission the Electricity Smart Meter until a dispute about whether it is a SMETS1 Device is resolved
    Then the DCC refuses the direction, citing AC-3.10
