/** Processes (sagas): consumers of the log whose effect is commands. */
package dev.ordo.spring.process;
