@runtime
Feature: The runtime runs scenarios
  Scenarios run through NUnit, one test case each.

  Background:
    Given a calculator

  @arithmetic @AC-0.1
  Scenario: Adding two numbers
    When I add 2 and 3
    Then the total is 5

  Scenario Outline: Adding rows of an outline
    When I add <a> and <b>
    Then the total is <sum>

    @examples-tag
    Examples:
      | a  | b | sum |
      | 1  | 1 | 2   |
      | -4 | 9 | 5   |

  Scenario: A table becomes typed rows and enums are read from words
    Given these devices:
      | Device ID               | Status                     | Count |
      | 00-11-22-33-44-55-66-77 | installed not commissioned | 2     |
      | 00-11-22-33-44-55-66-78 | commissioned               | 1     |
    Then device "00-11-22-33-44-55-66-77" has status installed not commissioned
    And the devices count 3 in all

  Scenario: A doc string is passed whole
    Given the message:
      """
      <Request>
        <Header/>
      </Request>
      """
    Then the message has 3 lines
