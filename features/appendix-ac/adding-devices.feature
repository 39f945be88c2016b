@AC-2.4 @AC-2.5 @AC-2.6 @AC-2.8 @AC-2.9
Feature: Adding Devices to the Smart Metering Inventory (Appendix AC 2.4–2.9)
  Devices enter the Smart Metering Inventory as 'pending', and only if their Device Model is on the Central
  Products List. A Communications Hub's two halves, its Communications Hub Function and its Gas Proxy Function,
  always enter together. A User may add only a SMETS1 Communications Hub; a SMETS2+ hub is added by the DCC
  before it delivers the hub. Type 2 Devices are not on the Central Products List and have no SMI Status.

  Background:
    Given the Central Products List identifies the SMETS2+ Device Models used here
    And the Central Products List identifies the SMETS1 Device Models used here

  @AC-2.4
  @rule-met
  Scenario: The DCC adds a Communications Hub of a listed Device Model as 'pending' before delivering it
    When the DCC adds the Communications Hub Function and Gas Proxy Function of a Communications Hub it is about to deliver to the Responsible Supplier
    Then the DCC accepts the request
    And the SMI status of the Communications Hub Function is 'pending'
    And the SMI status of the Gas Proxy Function is 'pending'

  @AC-2.4
  @rule-broken
  Scenario: The DCC does not add a Communications Hub whose Device Model is not on the Central Products List
    When the DCC adds the Communications Hub Function and Gas Proxy Function of a Communications Hub whose Device Model is not on the Central Products List
    Then the DCC refuses the request, citing AC-2.4
    And the Communications Hub Function is not in the Smart Metering Inventory
    And the Gas Proxy Function is not in the Smart Metering Inventory

  @AC-2.4
  @rule-broken
  Scenario: The DCC does not add a Communications Hub whose Device Model is on the Central Products List only as a meter
    When the DCC adds the Communications Hub Function and Gas Proxy Function of a Communications Hub whose Device Model is on the Central Products List only as an Electricity Smart Meter
    Then the DCC refuses the request, citing AC-2.4
    And the Communications Hub Function is not in the Smart Metering Inventory

  @AC-2.5
  @rule-met
  Scenario: A Communications Hub Function and its Gas Proxy Function are added together
    Given the Service Desk has been given the details of the SMETS1 Communications Hub's Communications Hub Function and Gas Proxy Function
    When the Responsible Supplier adds a SMETS1 Communications Hub's Communications Hub Function and Gas Proxy Function to the Smart Metering Inventory
    Then the DCC accepts the request
    And the SMI status of the Communications Hub Function is 'pending'
    And the SMI status of the Gas Proxy Function is 'pending'
    And the Gas Proxy Function is Associated with the Communications Hub Function

  @AC-2.5
  @rule-broken
  Scenario: A Communications Hub Function is not added without its Gas Proxy Function
    Given the Service Desk has been given the details of the SMETS1 Communications Hub's Communications Hub Function and Gas Proxy Function
    When the Responsible Supplier adds a SMETS1 Communications Hub's Communications Hub Function to the Smart Metering Inventory without its Gas Proxy Function
    Then the DCC refuses the request, citing AC-2.5
    And the Communications Hub Function is not in the Smart Metering Inventory

  @AC-2.5
  @rule-broken
  Scenario Outline: Half of a Communications Hub is not added on its own
    Given the Service Desk has been given the Device ID and Device Model information of the SMETS1 <half>
    When the Responsible Supplier adds <a> <half> on its own to the Smart Metering Inventory
    Then the DCC refuses the request, citing AC-2.5
    And the <half> is not in the Smart Metering Inventory

    Examples:
      | a | half                        |
      | a | Communications Hub Function |
      | a | Gas Proxy Function          |

  @AC-2.6
  @rule-met
  Scenario Outline: Any User may add a Device of a Device Model on the Central Products List, as 'pending'
    When the Responsible Supplier adds <a> <device> to the Smart Metering Inventory
    Then the DCC accepts the request
    And Read Inventory shows the <device> with Device Type <type>, of its Device Model, with SMI status 'pending'

    Examples:
      | a  | device                  | type   |
      | an | Electricity Smart Meter | ESME   |
      | a  | Gas Smart Meter         | GSME   |
      | a  | PPMID                   | PPMID  |
      | an | HCALCS                  | HCALCS |

  @AC-2.6
  @rule-met
  Scenario: A User other than the Responsible Supplier may add a Device, naming its Responsible Supplier
    When an Other User adds an Electricity Smart Meter to the Smart Metering Inventory naming the Responsible Supplier
    Then the DCC accepts the request
    And the SMI status of the Electricity Smart Meter is 'pending'
    And the Responsible Supplier of the Electricity Smart Meter is the Responsible Supplier

  @AC-2.6
  @rule-broken
  Scenario Outline: A Device whose Device Model is not on the Central Products List is not eligible
    When the Responsible Supplier adds <a> <device> of a Device Model that is not on the Central Products List to the Smart Metering Inventory
    Then the DCC refuses the request, citing AC-2.6
    And the <device> is not in the Smart Metering Inventory

    Examples:
      | a  | device                  |
      | an | Electricity Smart Meter |
      | a  | Gas Smart Meter         |
      | a  | PPMID                   |
      | an | HCALCS                  |

  @AC-2.6
  @rule-broken
  Scenario: A Device is not eligible under a Device Model the Central Products List identifies for another Device Type
    When the Responsible Supplier adds a PPMID of the Device Model the Central Products List identifies for an HCALCS
    Then the DCC refuses the request, citing AC-2.6
    And the PPMID is not in the Smart Metering Inventory

  @AC-2.8
  @rule-met
  Scenario: A User may add a SMETS1 Communications Hub
    Given the Service Desk has been given the details of the SMETS1 Communications Hub's Communications Hub Function and Gas Proxy Function
    When the Responsible Supplier adds a SMETS1 Communications Hub's Communications Hub Function and Gas Proxy Function to the Smart Metering Inventory
    Then the DCC accepts the request
    And the Communications Hub Function is in the Smart Metering Inventory

  @AC-2.8
  @rule-broken
  Scenario: A User may not add a SMETS2+ Communications Hub, which only the DCC adds when it provides the hub
    When the Responsible Supplier adds a SMETS2+ Communications Hub's Communications Hub Function and Gas Proxy Function to the Smart Metering Inventory
    Then the DCC refuses the request, citing AC-2.8
    And the Communications Hub Function is not in the Smart Metering Inventory
    And the Gas Proxy Function is not in the Smart Metering Inventory

  @AC-2.9
  @rule-met
  Scenario Outline: A Type 2 Device is added with no SMI Status and without being on the Central Products List
    When the Responsible Supplier adds <a> <device> to the Smart Metering Inventory
    Then the DCC accepts the request
    And the <device> has no SMI status

    Examples:
      | a  | device |
      | an | IHD    |
      | a  | CAD    |

  @AC-2.9
  @rule-broken
  Scenario: A Type 2 Device is not identified in the Central Products List
    When the Panel gives the DCC a signed Central Products List that identifies an IHD Device Model
    Then the DCC refuses the CPL, citing AC-2.9
    And the new Device Model is not on the DCC's Central Products List

  @AC-2.9
  @rule-broken
  Scenario: A Type 2 Device has no SMI Status to change, so it cannot be Decommissioned
    Given an IHD in the Smart Metering Inventory
    When the Responsible Supplier decommissions the IHD
    Then the DCC refuses the request, citing AC-2.9
    And the IHD has no SMI status
