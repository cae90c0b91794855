/** Dispatch. */
package dev.ordo.ordering.dispatch;
