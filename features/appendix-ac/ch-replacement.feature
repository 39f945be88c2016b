Feature: Replacing a SMETS2+ Communications Hub (Appendix AC 9.2–9.4)
  The DCC watches the Responses and Alerts of every Communications Hub Function and Gas Proxy Function so that it
  always holds an up-to-date record of what each one's Device Log contains (9.2). When a Communications Hub is
  replaced, the replacement's Device Log is restored from that record of the hub it replaces – not from a list the
  requester supplies (9.3). The replacement's Communications Hub Function is newly Commissioned, so every duty that
  follows Commissioning runs from its own Commissioning (9.4).

  Background:
    Given the Central Products List identifies the SMETS2+ Device Models used here
    And a Communications Hub Function with SMI status 'commissioned'
    And an Electricity Smart Meter with SMI status 'installed not commissioned'
    And a PPMID with SMI status 'installed not commissioned'

  @AC-9.2
  Scenario: The DCC's record of a Communications Hub Function's Device Log holds the Devices added to it
    Then the DCC's record of the Device Log of the Communications Hub Function lists the Electricity Smart Meter and the PPMID

  @AC-9.2
  @rule-met
  Scenario: A Device the Communications Hub Function reports removed from its Device Log leaves the DCC's record
    When the Communications Hub Function responds that it has removed the PPMID from its Device Log
    Then the DCC accepts the response
    And the DCC's record of the Device Log of the Communications Hub Function lists the Electricity Smart Meter only
    And the SMI status of the PPMID is still 'installed not commissioned'

  @AC-9.2
  @rule-broken
  Scenario: A removal reported by a Device that keeps no HAN Device Log does not change the DCC's record
    When the Electricity Smart Meter responds that it has removed the PPMID from its Device Log
    Then the DCC refuses the response, citing AC-9.2
    And the DCC's record of the Device Log of the Communications Hub Function still lists the Electricity Smart Meter and the PPMID

  @AC-9.3
  @rule-met
  Scenario: A replacement hub's Device Log is restored from the DCC's up-to-date record of the hub it replaces
    Given the Communications Hub Function has reported that it removed the PPMID from its Device Log
    And a replacement Communications Hub whose Communications Hub Function has SMI status 'commissioned'
    When the Responsible Supplier asks the DCC to restore the replacement Communications Hub Function's Device Log from the Communications Hub Function it replaces
    Then the DCC restores the Electricity Smart Meter only from its record
    When the replacement Communications Hub Function responds that its Device Log has been restored
    Then the DCC's record of the Device Log of the other Communications Hub Function lists the Electricity Smart Meter only
    And the Electricity Smart Meter is Associated with the replacement Communications Hub Function

  @AC-9.3
  @rule-met
  Scenario: A restore that failed on the replacement hub leaves the DCC's record as it was
    Given a replacement Communications Hub whose Communications Hub Function has SMI status 'commissioned'
    When the Responsible Supplier asks the DCC to restore the replacement Communications Hub Function's Device Log from the Communications Hub Function it replaces
    And the replacement Communications Hub Function responds that its Device Log has not been restored
    Then the DCC's record of the Device Log of the other Communications Hub Function lists nothing
    And the DCC's record of the Device Log of the Communications Hub Function still lists the Electricity Smart Meter and the PPMID

  @AC-9.3
  @rule-broken
  Scenario: A restore request that lists its own Devices is refused
    Given a replacement Communications Hub whose Communications Hub Function has SMI status 'commissioned'
    When the Responsible Supplier asks the DCC to restore the replacement Communications Hub Function's Device Log with the Electricity Smart Meter and the PPMID listed in the request
    Then the DCC refuses the request, citing AC-9.3
    And the DCC's record of the Device Log of the other Communications Hub Function lists nothing

  @AC-9.4 @AC-5.2(a)
  @rule-met
  Scenario: The replacement Communications Hub Function is newly Commissioned, so its 7 days run from its own Commissioning
    Given 10 days have passed
    And a replacement Communications Hub whose Communications Hub Function has SMI status 'commissioned'
    And the Device Log of the replacement Communications Hub Function has been restored from the Communications Hub Function it replaces
    When 5 days pass
    And the other Communications Hub Function re-generates its Private Keys and stores the new Device Certificates
    Then the DCC shows the other Communications Hub Function's AC-5.2(a) step done within 7 days

  @AC-9.4 @AC-5.2(a) @AC-5.13(a)
  @rule-broken
  Scenario: A replacement Communications Hub Function that does not re-generate its keys within 7 days of its own Commissioning is overdue
    Given a replacement Communications Hub whose Communications Hub Function has SMI status 'commissioned'
    And the DCC has interrogated the other Communications Hub Function's recovery Trust Anchor Cell and found DCC Recovery credentials
    And the Device Log of the replacement Communications Hub Function has been restored from the Communications Hub Function it replaces
    When 7 days pass
    Then the DCC shows the other Communications Hub Function's AC-5.2(a) step overdue
    And the DCC has raised an Incident citing AC-5.13(a) about the other Communications Hub Function
