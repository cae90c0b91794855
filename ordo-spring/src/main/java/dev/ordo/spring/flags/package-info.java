/** Feature flags: per query family, answer from the read model or from the write side, changed as events. */
package dev.ordo.spring.flags;
