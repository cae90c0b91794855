/** The one application: every context in one process, with the write and read databases it runs on (embedded by default). */
package dev.ordo.app;
