package dev.ordo.ordering.customer;

import dev.ordo.command.AggregateType;
import dev.ordo.command.Caller;

/** A customer forgets their own personal data (admins anyone's). */
public final class CustomerAccess implements AggregateType.Access<CustomerCommand, Customer> {

  @Override
  public boolean allows(Caller caller, CustomerCommand command, Customer customer) {
    return switch (command) {
      case CustomerCommand.ForgetPersonalData forget -> caller.has("customer") && caller.is(forget.customerId());
    };
  }
}
