package dev.ordo.ordering.customer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordo.ordering.customer.CustomerCommand.ForgetPersonalData;
import dev.ordo.ordering.customer.CustomerEvent.PersonalDataForgotten;
import dev.ordo.test.DeciderFixture;
import org.junit.jupiter.api.Test;

class CustomerDeciderTests {

  private final DeciderFixture<CustomerCommand, Customer, CustomerEvent> customer =
      DeciderFixture.of(new CustomerDecider());

  @Test
  void personalDataIsForgottenEachTimeItIsAsked() {
    customer.given().when(new ForgetPersonalData("u-1")).then(new PersonalDataForgotten("u-1"));
    customer.given(new PersonalDataForgotten("u-1")).when(new ForgetPersonalData("u-1"))
        .then(new PersonalDataForgotten("u-1"));
  }

  @Test
  void aCustomersStreamIdIsAUuidOfTheirIdAlone() {
    assertThat(Customer.streamId("u-1")).isEqualTo(Customer.streamId("u-1")).isNotEqualTo(Customer.streamId("u-2"))
        .hasSize(36);
  }
}
