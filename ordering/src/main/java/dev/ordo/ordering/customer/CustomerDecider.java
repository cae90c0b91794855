package dev.ordo.ordering.customer;

import dev.ordo.command.Decider;
import dev.ordo.ordering.customer.CustomerCommand.ForgetPersonalData;
import dev.ordo.ordering.customer.CustomerEvent.PersonalDataForgotten;
import java.util.List;

/** The customer's rules: forgetting is always granted, however often it is asked. */
public final class CustomerDecider implements Decider<CustomerCommand, Customer, CustomerEvent> {

  @Override
  public Customer initialState() {
    return Customer.NONE;
  }

  @Override
  public List<CustomerEvent> decide(CustomerCommand command, Customer customer) {
    return switch (command) {
      case ForgetPersonalData c -> List.of(new PersonalDataForgotten(c.customerId()));
    };
  }

  @Override
  public Customer evolve(Customer customer, CustomerEvent event) {
    return switch (event) {
      case PersonalDataForgotten e -> new Customer(e.customerId(), customer.forgotten() + 1);
    };
  }
}
