@AC-11.1 @AC-11.2
Feature: Notifying Decommissioning, Withdrawal and Suspension (Appendix AC 11.1–11.2)
  After a Smart Meter is Decommissioned, Withdrawn or Suspended, the DCC tells its Electricity Distributor or Gas
  Transporter through the DCC User Interface. After any Device is Suspended, the DCC tells its Responsible
  Supplier(s).

  Background:
    Given the Central Products List identifies the SMETS2+ Device Models used here

  @AC-11.1
  @rule-met
  Scenario Outline: The Electricity Distributor is told when an Electricity Smart Meter is <what>
    Given an Electricity Smart Meter with SMI status '<what>'
    Then the Electricity Distributor is notified that the Electricity Smart Meter is <what>

    Examples:
      | what           |
      | decommissioned |
      | withdrawn      |
      | suspended      |

  @AC-11.1
  @rule-met
  Scenario Outline: The Gas Transporter is told when a Gas Smart Meter is <what>
    Given a Gas Smart Meter with SMI status '<what>'
    Then the Gas Transporter is notified that the Gas Smart Meter is <what>

    Examples:
      | what           |
      | decommissioned |
      | withdrawn      |
      | suspended      |

  @AC-11.1
  @rule-broken
  Scenario: The network operator is not told of the Decommissioning of a Device that is not a Smart Meter
    Given a PPMID with SMI status 'decommissioned'
    Then the Electricity Distributor is not notified that the PPMID is decommissioned

  @AC-11.1
  @rule-broken
  Scenario: The network operator is not told of a Smart Meter's Decommissioning before it happens
    Given an Electricity Smart Meter with SMI status 'installed not commissioned'
    Then the Electricity Distributor is not notified that the Electricity Smart Meter is decommissioned

  @AC-11.2
  @rule-met
  Scenario Outline: The Responsible Supplier is told when a <device> is Suspended
    Given <a> <device> with SMI status 'suspended'
    Then the Responsible Supplier is notified that the <device> is suspended

    Examples:
      | a  | device                  |
      | an | Electricity Smart Meter |
      | a  | PPMID                   |
      | a  | Communications Hub Function |

  @AC-11.2
  @rule-broken
  Scenario Outline: The Responsible Supplier gets no Suspension notice for a Device that is <what>
    Given an Electricity Smart Meter with SMI status '<what>'
    Then the Responsible Supplier is not notified of a suspension of the Electricity Smart Meter

    Examples:
      | what           |
      | decommissioned |
      | withdrawn      |
