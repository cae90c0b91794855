/**
 * What every context's query endpoints share: the read models of a process and the wait behind
 * read-your-writes ({@code Ordo-Min-Position}), and query parameters read strictly (sizes, keyset
 * cursors, positions) into 400s that name the parameter.
 */
package dev.ordo.spring.query;
