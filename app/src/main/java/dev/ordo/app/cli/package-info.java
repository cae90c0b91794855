/** What {@code ./ordo <command>} runs besides the app itself. */
package dev.ordo.app.cli;
