/** Events as JSON: binding a context's event records to type names and schema versions, with Jackson. */
package dev.ordo.codec;
