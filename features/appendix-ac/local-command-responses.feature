@AC-2.12
Feature: Responses received other than over the SM WAN (Appendix AC 2.12)
  A User that delivers a Command to a Device locally receives the Device's Response itself, not over the SM WAN.
  Where the Response is one the DCC must have, the User returns it to the DCC in a 'Return Local Command Response'
  Service Request, and the DCC acts on it as it would on the same Response over the SM WAN. A returned Response
  must answer a Command the DCC issued and still awaits, and come from the User that requested that Command.

  Background:
    Given the Central Products List identifies the SMETS2+ Device Models used here

  @rule-met
  Scenario: A 'Commission Device' Response received locally and returned to the DCC Commissions the meter
    Given an Electricity Smart Meter with SMI status 'installed not commissioned'
    And the Responsible Supplier has sent a 'Commission Device' Service Request for the Electricity Smart Meter
    When the Responsible Supplier returns the Electricity Smart Meter's Response that 'Commission Device' was successfully executed, received locally, in a 'Return Local Command Response'
    Then the DCC accepts the request
    And the SMI status of the Electricity Smart Meter is now 'commissioned'

  @rule-met
  Scenario: A 'Join Service' Response received locally and returned to the DCC joins the Devices
    Given an Electricity Smart Meter with SMI status 'commissioned'
    And a PPMID with SMI status 'installed not commissioned'
    And the Responsible Supplier has sent a 'Join Service' Service Request to join the PPMID to the Electricity Smart Meter
    When the Responsible Supplier returns the Electricity Smart Meter's Response that joining the PPMID was successfully executed, received locally, in a 'Return Local Command Response'
    Then the DCC accepts the request
    And the PPMID is Associated with the Electricity Smart Meter

  @rule-broken
  Scenario: A returned Response to a command the DCC never issued is refused
    Given an Electricity Smart Meter with SMI status 'installed not commissioned'
    When the Responsible Supplier returns the Electricity Smart Meter's Response that 'Commission Device' was successfully executed, received locally, in a 'Return Local Command Response'
    Then the DCC refuses the request, citing AC-2.12
    And the SMI status of the Electricity Smart Meter is still 'installed not commissioned'

  @rule-broken
  Scenario: A Response returned by a User that did not receive it is refused
    Given an Electricity Smart Meter with SMI status 'installed not commissioned'
    And the Responsible Supplier has sent a 'Commission Device' Service Request for the Electricity Smart Meter
    When another Supplier returns the Electricity Smart Meter's Response that 'Commission Device' was successfully executed, received locally, in a 'Return Local Command Response'
    Then the DCC refuses the request, citing AC-2.12
    And the SMI status of the Electricity Smart Meter is still 'installed not commissioned'
