package dev.ordo.spring.command;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares the HTTP route of a command record. The one generic command endpoint serves every
 * command on the bus that carries it, so a new command never needs a controller (seed 003). The
 * body is read into the record in one pass with the id component unset (null), then the record is
 * made again with the id from the path or a new one: a compact constructor must accept a null id.
 *
 * <pre>{@code
 * @HttpCommand(method = "POST", path = "/products/{id}/stock-adjustments", id = "productId")
 * record AdjustStock(String productId, int delta, StockReason reason, UUID relatedOrderId) {}
 * }</pre>
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface HttpCommand {

  /** GET is not a command: POST, PUT, PATCH or DELETE. */
  String method();

  /** Under {@code /api/v1}; {@code {id}} is the aggregate id, absent when the command creates it. */
  String path();

  /** The record component that holds the aggregate id. */
  String id();

  /** The command makes a new aggregate: the server chooses its id and answers 201 with a Location. */
  boolean creates() default false;

  /** Where a created aggregate can be read, with {@code {id}}; used with {@link #creates()}. */
  String location() default "";
}
