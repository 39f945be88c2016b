Feature: Post-commissioning obligations (Appendix AC 5.2–5.18 and 6.2–6.3)
  Within 7 days of Commissioning a Communications Hub Function re-generates its keys and has Organisation Certificate
  information replaced (5.2); a Smart Meter or Gas Proxy Function gets the Network Party's credentials, re-generates its
  keys and (meters) has Organisation Certificate information replaced (5.3); the DCC interrogates each hub and meter's
  recovery Trust Anchor Cell (5.4). The DCC records, and updates daily, the Post Commissioning Information of every hub
  and meter 'commissioned' for 7 days or more for which 5.7(a), (b) or (c) applies (5.5–5.8), reports it monthly and
  daily, marked confidential (5.9–5.12), raises Incidents about hubs (5.13), and keeps each Device's current Device
  Certificates (5.18). A Supplier Party sends a Device whose steps are overdue only the Service Requests 5.14 allows;
  the reference DCC refuses the others. A SMETS1 Device holds the right Supplier's and Network Party's credentials
  within 7 days (6.2), and a Party that changes the details given to the Service Desk for a SMETS1 Device tells the
  DCC, which then holds the new details (6.3).

  Background:
    Given the Central Products List identifies the SMETS2+ Device Models used here

  # ── AC 5.2: the DCC's steps for a Communications Hub Function ─────────────────────────────────────────────

  @AC-5.2 @AC-5.2(a) @AC-5.2(b) @AC-5.13 @AC-5.13(a)
  @rule-met
  Scenario: A Communications Hub Function that re-generates its keys and has an Organisation Certificate replaced within 7 days
    Given a Communications Hub Function with SMI status 'commissioned'
    And the DCC has interrogated the Communications Hub Function's recovery Trust Anchor Cell and found DCC Recovery credentials
    When 2 days pass
    And the Communications Hub Function re-generates its Private Keys and stores the new Device Certificates
    And Organisation Certificate information in the Communications Hub Function's credentials is replaced
    And 5 days pass
    Then the DCC shows the Communications Hub Function's AC-5.2(a) step done within 7 days
    And the DCC shows the Communications Hub Function's AC-5.2(b) step done within 7 days
    And the DCC has raised no Incident about the Communications Hub Function

  @AC-5.2 @AC-5.2(a) @AC-5.2(b) @AC-5.13(a)
  @rule-broken
  Scenario: A Communications Hub Function whose keys are not re-generated within 7 days is overdue and the DCC raises an Incident
    Given a Communications Hub Function with SMI status 'commissioned'
    And the DCC has interrogated the Communications Hub Function's recovery Trust Anchor Cell and found DCC Recovery credentials
    When Organisation Certificate information in the Communications Hub Function's credentials is replaced
    And 7 days pass
    Then the DCC shows the Communications Hub Function's AC-5.2(a) step overdue
    And the DCC shows the Communications Hub Function's AC-5.2(b) step done within 7 days
    And the DCC has raised an Incident citing AC-5.13(a) about the Communications Hub Function

  # ── AC 5.3: the Responsible Supplier's steps for a Smart Meter or Gas Proxy Function ─────────────────────

  @AC-5.3 @AC-5.3(a) @AC-5.3(b) @AC-5.3(c)
  @rule-met
  Scenario: An Electricity Smart Meter given the Electricity Distributor's credentials, new keys and a new Organisation Certificate within 7 days
    Given an Electricity Smart Meter with SMI status 'commissioned'
    When the Electricity Smart Meter holds the Electricity Distributor's credentials for the Network Party
    And the Electricity Smart Meter re-generates its Private Keys and stores the new Device Certificates
    And Organisation Certificate information in the Electricity Smart Meter's credentials is replaced
    And 7 days pass
    Then the DCC shows the Electricity Smart Meter's AC-5.3(a) step done within 7 days
    And the DCC shows the Electricity Smart Meter's AC-5.3(b) step done within 7 days
    And the DCC shows the Electricity Smart Meter's AC-5.3(c) step done within 7 days

  @AC-5.3 @AC-5.3(a) @AC-5.3(b) @AC-5.3(c)
  @rule-broken
  Scenario: An Electricity Smart Meter left with the Gas Transporter's credentials and its old keys is overdue after 7 days
    Given an Electricity Smart Meter with SMI status 'commissioned'
    When the Electricity Smart Meter holds the Gas Transporter's credentials for the Network Party
    And 7 days pass
    Then the DCC shows the Electricity Smart Meter's AC-5.3(a) step overdue
    And the DCC shows the Electricity Smart Meter's AC-5.3(b) step overdue
    And the DCC shows the Electricity Smart Meter's AC-5.3(c) step overdue

  # ── AC 5.4: the DCC's interrogation of the recovery Trust Anchor Cell ───────────────────────────────────

  @AC-5.4 @AC-5.7(a) @AC-5.7(b)
  @rule-met
  Scenario: A meter the DCC interrogates successfully within 7 days, finding DCC Recovery credentials, is not recorded for 5.7(a) or (b)
    Given an Electricity Smart Meter with SMI status 'commissioned'
    And the DCC has interrogated the Electricity Smart Meter's recovery Trust Anchor Cell and found DCC Recovery credentials
    When 7 days pass
    Then the Electricity Smart Meter is in the Post Commissioning Information for AC-5.7(c)(i), AC-5.7(c)(ii), AC-5.7(c)(iii)

  @AC-5.4 @AC-5.7(a)
  @rule-broken
  Scenario: A meter the DCC fails to interrogate is recorded for 5.7(a)
    Given an Electricity Smart Meter with SMI status 'commissioned'
    And the DCC has failed to interrogate the Electricity Smart Meter's recovery Trust Anchor Cell
    When 7 days pass
    Then the Electricity Smart Meter is in the Post Commissioning Information for AC-5.7(a), AC-5.7(c)(i), AC-5.7(c)(ii), AC-5.7(c)(iii)

  # ── AC 5.5–5.8: the Post Commissioning Information ──────────────────────────────────────────────────────

  @AC-5.7
  @rule-met
  Scenario: A meter 'commissioned' for 6 days and 23 hours is not yet in the Post Commissioning Information
    Given an Electricity Smart Meter with SMI status 'commissioned'
    When 6 days and 23 hours pass
    Then the Electricity Smart Meter is not in the Post Commissioning Information

  @AC-5.7 @AC-5.7(a) @AC-5.7(c) @AC-5.7(c)(i) @AC-5.7(c)(ii) @AC-5.7(c)(iii)
  @rule-broken
  Scenario: A meter 'commissioned' for 7 days with none of its steps done is in the Post Commissioning Information for every reason
    Given an Electricity Smart Meter with SMI status 'commissioned'
    When 7 days pass
    Then the Electricity Smart Meter is in the Post Commissioning Information for AC-5.7(a), AC-5.7(c)(i), AC-5.7(c)(ii), AC-5.7(c)(iii)

  @AC-5.5 @AC-5.7 @AC-5.7(a) @AC-5.7(b) @AC-5.7(c) @AC-5.7(c)(i) @AC-5.7(c)(ii) @AC-5.7(c)(iii)
  @rule-met
  Scenario: A meter whose every step is done is not in the Post Commissioning Information
    Given an Electricity Smart Meter with SMI status 'commissioned'
    And every post-commissioning step of the Electricity Smart Meter is done
    When 7 days pass
    Then the Electricity Smart Meter is not in the Post Commissioning Information

  @AC-5.7
  @rule-broken
  Scenario Outline: A meter with one step missing is in the Post Commissioning Information for <reason> alone
    Given an Electricity Smart Meter with SMI status 'commissioned'
    And every post-commissioning step of the Electricity Smart Meter is done except <missing>
    When 7 days pass
    Then the Electricity Smart Meter is in the Post Commissioning Information for <reason>

    @AC-5.7(b)
    Examples: a recovery cell without DCC Recovery credentials
      | missing                                   | reason     |
      | DCC Recovery credentials in its recovery cell | AC-5.7(b) |

    @AC-5.7(c) @AC-5.7(c)(i)
    Examples: a second 'Issue Security Credentials'
      | missing                                      | reason        |
      | a second successful 'Issue Security Credentials' | AC-5.7(c)(i) |

    @AC-5.7(c) @AC-5.7(c)(ii)
    Examples: a second 'Update Security Credentials (Device)'
      | missing                                                  | reason         |
      | a second successful 'Update Security Credentials (Device)' | AC-5.7(c)(ii) |

    @AC-5.7(c) @AC-5.7(c)(iii)
    Examples: an 'Update Security Credentials (KRP)'
      | missing                                           | reason          |
      | a successful 'Update Security Credentials (KRP)' | AC-5.7(c)(iii) |

  @AC-5.7(c) @AC-5.7(c)(iii)
  @rule-met
  Scenario: A Gas Proxy Function is not recorded for 5.7(c)(iii), which concerns hubs and meters only
    Given a Gas Proxy Function with SMI status 'commissioned'
    And every post-commissioning step of the Gas Proxy Function is done except a successful 'Update Security Credentials (KRP)'
    When 7 days pass
    Then the Gas Proxy Function is not in the Post Commissioning Information

  @AC-5.5 @AC-5.8
  @rule-met
  Scenario: The entry of a meter holds its Device ID and Type, Commissioning date, reasons, Suppliers and the date of the latest update
    Given an Electricity Smart Meter with SMI status 'commissioned'
    When 7 days pass
    Then the Electricity Smart Meter's entry in the Post Commissioning Information holds its Device ID and Type, its Commissioning date and the date of the latest update
    And the Electricity Smart Meter's entry in the Post Commissioning Information names the Responsible Supplier as Responsible Supplier and as the Supplier whose request Commissioned it

  @AC-5.8
  @rule-met
  Scenario: The entry of a Communications Hub Function names no Responsible Supplier and no commissioning Supplier
    Given a Communications Hub Function with SMI status 'commissioned'
    When 7 days pass
    Then the Communications Hub Function's entry in the Post Commissioning Information names no Responsible Supplier and no commissioning Supplier

  @AC-5.6
  @rule-met
  Scenario: A meter put right stays in the Post Commissioning Information until its next daily update
    Given an Electricity Smart Meter with SMI status 'commissioned'
    And 7 days have passed
    When every post-commissioning step of the Electricity Smart Meter is done
    And 1 hour passes
    Then the Electricity Smart Meter is in the Post Commissioning Information for AC-5.7(a), AC-5.7(c)(i), AC-5.7(c)(ii), AC-5.7(c)(iii)

  @AC-5.6
  @rule-met
  Scenario: A meter put right leaves the Post Commissioning Information at its next daily update
    Given an Electricity Smart Meter with SMI status 'commissioned'
    And 7 days have passed
    When every post-commissioning step of the Electricity Smart Meter is done
    And 1 day passes
    Then the Electricity Smart Meter is not in the Post Commissioning Information

  @AC-5.5 @AC-5.6 @AC-5.7(c) @AC-5.7(c)(iii)
  @rule-met @rule-broken
  Scenario: A meter's answer to 'Update Security Credentials (KRP)' takes it out of the Post Commissioning Information at the next daily update
    Given an Electricity Smart Meter with SMI status 'commissioned'
    And every post-commissioning step of the Electricity Smart Meter is done except a successful 'Update Security Credentials (KRP)'
    When 7 days pass
    Then the Electricity Smart Meter is in the Post Commissioning Information for AC-5.7(c)(iii)
    When the Electricity Smart Meter answers a successful 'Update Security Credentials (KRP)' that puts the Responsible Supplier's certificate in its supplier cell
    And 1 day passes
    Then the Electricity Smart Meter is not in the Post Commissioning Information

  # ── AC 5.9–5.12: reports ────────────────────────────────────────────────────────────────────────────────

  @AC-5.9
  @rule-met
  Scenario: A meter left unresolved is counted as added, then as still listed after one and three months
    Given an Electricity Smart Meter with SMI status 'commissioned'
    And 7 days have passed
    When the month ends
    Then the monthly report for the month just ended counts the Responsible Supplier's Electricity Smart Meters as
      | total | added | removed | previous month | previous three months | previous six months |
      | 1     | 1     | 0       | 0              | 0                     | 0                   |
    When 3 more months end
    Then the monthly report for the month just ended counts the Responsible Supplier's Electricity Smart Meters as
      | total | added | removed | previous month | previous three months | previous six months |
      | 1     | 0     | 0       | 1              | 1                     | 0                   |

  @AC-5.9
  @rule-met
  Scenario: A meter put right is counted as removed in the next monthly report
    Given an Electricity Smart Meter with SMI status 'commissioned'
    And 7 days have passed
    And the month has ended
    When every post-commissioning step of the Electricity Smart Meter is done
    And 1 day passes
    And the month ends
    Then the monthly report for the month just ended counts the Responsible Supplier's Electricity Smart Meters as
      | total | added | removed | previous month | previous three months | previous six months |
      | 0     | 0     | 1       | 0              | 0                     | 0                   |

  @AC-5.10
  @rule-met
  Scenario: The Responsible Supplier's daily report lists its meter with the fields of 5.10
    Given an Electricity Smart Meter with SMI status 'commissioned'
    And 7 days have passed
    When 1 day passes
    Then the Responsible Supplier's daily report for yesterday lists the Electricity Smart Meter with its Device ID and Type, update date, Commissioning date and reasons
    And the Responsible Supplier's daily report for yesterday does not list the Communications Hub Function

  @AC-5.10
  @rule-met
  Scenario: Another Supplier's daily report does not list a meter it is not Responsible Supplier for
    Given an Electricity Smart Meter with SMI status 'commissioned'
    And 7 days have passed
    When 1 day passes
    Then another Supplier's daily report for yesterday does not list the Electricity Smart Meter

  @AC-5.10
  @rule-met
  Scenario: A daily report is still available 30 days after its day
    Given an Electricity Smart Meter with SMI status 'commissioned'
    And 7 days have passed
    And 1 day has passed
    When 29 days pass
    Then the Responsible Supplier's daily report for the day 30 days ago lists the Electricity Smart Meter

  @AC-5.11
  @rule-met
  Scenario: A copy of a daily report for the Panel may name the Supplier whose request Commissioned each Device
    Given an Electricity Smart Meter with SMI status 'commissioned'
    And 7 days have passed
    When 1 day passes
    Then the Panel's copy of the Responsible Supplier's daily report for yesterday names the Responsible Supplier as the Supplier whose request Commissioned the Electricity Smart Meter
    And the Responsible Supplier's own daily report for yesterday names no commissioning Supplier

  @AC-5.12
  @rule-met
  Scenario Outline: The <report> is marked confidential
    Given an Electricity Smart Meter with SMI status 'commissioned'
    And 7 days have passed
    When the month ends
    Then the <report> is marked confidential

    Examples:
      | report                                                          |
      | monthly report for the month just ended                         |
      | Responsible Supplier's daily report for yesterday               |
      | Panel's copy of the Responsible Supplier's daily report for yesterday |
      | Post Commissioning Information                                  |

  # ── AC 5.13: Incidents about a Communications Hub Function ──────────────────────────────────────────────

  @AC-5.13 @AC-5.13(b)
  @rule-broken
  Scenario: The DCC raises an Incident when its interrogation finds a hub's recovery cell without DCC Recovery credentials
    Given a Communications Hub Function with SMI status 'commissioned'
    When the DCC interrogates the Communications Hub Function's recovery Trust Anchor Cell and finds no DCC Recovery credentials
    And 1 hour passes
    Then the DCC has raised an Incident citing AC-5.13(b) about the Communications Hub Function

  @AC-5.13 @AC-5.13(b)
  @rule-met
  Scenario: The DCC raises no Incident about a hub whose recovery cell holds DCC Recovery credentials and whose steps are done
    Given a Communications Hub Function with SMI status 'commissioned'
    When every post-commissioning step of the Communications Hub Function is done
    And 7 days pass
    Then the DCC has raised no Incident about the Communications Hub Function

  # ── AC 5.14: the Supplier Parties' restriction ──────────────────────────────────────────────────────────

  @AC-5.14
  @rule-met
  Scenario: A Supplier may send any Service Request to a meter whose steps are done
    Given an Electricity Smart Meter with SMI status 'commissioned'
    And every post-commissioning step of the Electricity Smart Meter is done
    And 7 days have passed
    When the Responsible Supplier sends a 'Read Instantaneous Import Registers' Service Request to the Electricity Smart Meter
    Then the DCC accepts the request

  @AC-5.14
  @rule-broken
  Scenario: A Supplier may not send an ordinary Service Request to a meter whose keys are 7 days overdue
    Given an Electricity Smart Meter with SMI status 'commissioned'
    And 7 days have passed
    When the Responsible Supplier sends a 'Read Instantaneous Import Registers' Service Request to the Electricity Smart Meter
    Then the DCC refuses the request, citing AC-5.14

  @AC-5.14
  @rule-met
  Scenario Outline: A Supplier may still send a meter with overdue steps a request that is <why>
    Given an Electricity Smart Meter with SMI status 'commissioned'
    And the DCC has interrogated the Electricity Smart Meter's recovery Trust Anchor Cell and found DCC Recovery credentials
    And 7 days have passed
    When <party> sends a '<request>' Service Request to the Electricity Smart Meter<purpose>
    Then the DCC accepts the request under exception <exception> of AC 5.14

    Examples:
      | why                                   | party                    | request                              | purpose                                    | exception |
      | completing the steps                  | the Responsible Supplier | Issue Security Credentials           |                                            | (i)       |
      | completing the steps                  | the Responsible Supplier | Update Security Credentials (KRP)    |                                            | (i)       |
      | replacing credentials on a change of supplier | another Supplier | Update Security Credentials (CoS)    |                                            | (ii)      |
      | for keeping the energy supply         | the Responsible Supplier | Read Instantaneous Import Registers  | , stating that it maintains the energy supply | (iii)  |

  @AC-5.14
  @rule-broken
  Scenario: A Supplier may not send an ordinary Service Request to a meter nobody has interrogated within 14 days
    Given an Electricity Smart Meter with SMI status 'commissioned'
    And the Electricity Smart Meter re-generates its Private Keys and stores the new Device Certificates
    And Organisation Certificate information in the Electricity Smart Meter's credentials is replaced
    And the DCC has failed to interrogate the Electricity Smart Meter's recovery Trust Anchor Cell
    And 14 days have passed
    When the Responsible Supplier sends a 'Read Instantaneous Import Registers' Service Request to the Electricity Smart Meter
    Then the DCC refuses the request, citing AC-5.14(b)

  @AC-5.14
  @rule-met
  Scenario: A meter the Supplier itself interrogated within 14 days is not restricted
    Given an Electricity Smart Meter with SMI status 'commissioned'
    And the Electricity Smart Meter re-generates its Private Keys and stores the new Device Certificates
    And Organisation Certificate information in the Electricity Smart Meter's credentials is replaced
    And the DCC has failed to interrogate the Electricity Smart Meter's recovery Trust Anchor Cell
    And the Responsible Supplier has interrogated the Electricity Smart Meter's recovery Trust Anchor Cell
    And 14 days have passed
    When the Responsible Supplier sends a 'Read Instantaneous Import Registers' Service Request to the Electricity Smart Meter
    Then the DCC accepts the request

  # ── AC 5.18: the record of current Device Certificates ──────────────────────────────────────────────────

  @AC-5.18
  @rule-met
  Scenario: A Response showing a Device Certificate replaced makes the new one current
    Given an Electricity Smart Meter with SMI status 'commissioned'
    And the Electricity Smart Meter re-generates its Private Keys and stores the new Device Certificates
    When the Electricity Smart Meter answers that its Digital Signing Device Certificate was replaced successfully
    Then the DCC's record of the Electricity Smart Meter's current Device Certificates holds the replacement
    And the DCC's record of the Electricity Smart Meter's Device Certificates keeps the replaced one as no longer current

  @AC-5.18
  @rule-broken
  Scenario: A Response showing the replacement failed leaves the record as it was
    Given an Electricity Smart Meter with SMI status 'commissioned'
    And the Electricity Smart Meter re-generates its Private Keys and stores the new Device Certificates
    When the Electricity Smart Meter answers that the replacement of its Digital Signing Device Certificate was not successfully executed
    Then the DCC's record of the Electricity Smart Meter's current Device Certificates holds the ones stored with its new keys

  # ── AC 6.2: SMETS1 Devices ──────────────────────────────────────────────────────────────────────────────

  @AC-6.2 @AC-6.2(a) @AC-6.2(b)
  @rule-met
  Scenario: A SMETS1 meter holding its Responsible Supplier's and Electricity Distributor's credentials within 7 days meets 6.2
    Given the Central Products List identifies the SMETS1 Device Models used here
    And the SMETS1 Device Models used here form an Eligible Product Combination
    And the Responsible Supplier has given the DCC its SMETS1 declaration for every SMETS1 Device Model used here
    And a SMETS1 Electricity Smart Meter with SMI status 'commissioned'
    When the Electricity Smart Meter holds the Responsible Supplier's credentials for the Responsible Supplier
    And the Electricity Smart Meter holds the Electricity Distributor's credentials for the Network Party
    And 7 days pass
    Then the Electricity Smart Meter is not among the SMETS1 Devices failing AC 6.2

  @AC-6.2 @AC-6.2(a) @AC-6.2(b)
  @rule-broken
  Scenario: A SMETS1 meter holding another Supplier's credentials after 7 days fails 6.2
    Given the Central Products List identifies the SMETS1 Device Models used here
    And the SMETS1 Device Models used here form an Eligible Product Combination
    And the Responsible Supplier has given the DCC its SMETS1 declaration for every SMETS1 Device Model used here
    And a SMETS1 Electricity Smart Meter with SMI status 'commissioned'
    When the Electricity Smart Meter holds another Supplier's credentials for the Responsible Supplier
    And 7 days pass
    Then the Electricity Smart Meter is among the SMETS1 Devices failing AC 6.2, for AC-6.2(a) and AC-6.2(b)

  # ── AC 6.3: changed Service Desk details of a SMETS1 Device ────────────────────────────────────────────────────

  @AC-6.3
  @rule-met
  Scenario: A Party that changes a SMETS1 meter's details tells the Service Desk, and the DCC holds the new details
    Given the Central Products List identifies the SMETS1 Device Models used here
    And a SMETS1 Electricity Smart Meter in the Smart Metering Inventory
    When an Other User tells the Service Desk that the Electricity Smart Meter's SMSO connection is now 'SMSO endpoint B'
    Then the DCC accepts the request
    And the Service Desk information the DCC holds for the Electricity Smart Meter gives its SMSO connection as 'SMSO endpoint B'
    And the Service Desk information the DCC holds for the Electricity Smart Meter still gives its own Device ID and Device Model
    And the DCC records that an Other User last gave the Electricity Smart Meter's Service Desk information

  @AC-6.3
  @rule-broken
  Scenario: Changed details that would move a SMETS1 meter's information to another Device ID are refused, and the DCC keeps what it held
    Given the Central Products List identifies the SMETS1 Device Models used here
    And a SMETS1 Electricity Smart Meter in the Smart Metering Inventory
    When the Responsible Supplier tells the Service Desk that the Electricity Smart Meter's details now belong to the Device ID of the other Electricity Smart Meter
    Then the DCC refuses the request, citing AC-6.3
    And the Service Desk information the DCC holds for the Electricity Smart Meter still gives its own Device ID and Device Model
    And the DCC records that the Responsible Supplier last gave the Electricity Smart Meter's Service Desk information

  @AC-6.3
  @rule-broken
  Scenario: A SMETS2+ meter has no Service Desk details to change
    Given an Electricity Smart Meter in the Smart Metering Inventory
    When the Responsible Supplier tells the Service Desk that the Electricity Smart Meter's SMSO connection is now 'SMSO endpoint B'
    Then the DCC refuses the request, citing AC-6.3
