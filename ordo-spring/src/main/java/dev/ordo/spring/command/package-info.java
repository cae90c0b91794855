/** One HTTP endpoint for every command: reading a request into a command, Idempotency-Key, asynchronous commands, the answer. */
package dev.ordo.spring.command;
