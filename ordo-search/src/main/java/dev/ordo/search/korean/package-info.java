/** Korean text taken apart for search: Nori morphemes, synonyms, letters for typos, compact grams, prefixes. */
package dev.ordo.search.korean;
