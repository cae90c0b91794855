package dev.ordo.bench;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The judged corpus of the app's search tests ({@code app/src/test/resources/search/corpus.json},
 * packaged into this jar): 20 stores, 35 categories, 375 Korean products and 64 queries, each with
 * every product a shopper wants from it. Also the source of the distractors a large catalog is
 * made of: corpus products with their names varied.
 */
record SearchCorpus(List<Store> stores, List<Category> categories, List<Product> products, List<Query> queries) {

  record Store(String key, String name) {}

  /** Parents come before their children. */
  record Category(String key, String name, String parent) {}

  record Product(String key, String store, String category, String name, long price, String description,
      List<String> tags, List<String> keywords) {}

  /** A query, its kind (particle, typo, synonym, brand…) and the keys of the products relevant to it. */
  record Query(String q, String kind, Set<String> relevant) {}

  static final JsonMapper JSON = JsonMapper.builder().build();

  static SearchCorpus load() throws IOException {
    JsonNode corpus;
    try (InputStream in = SearchCorpus.class.getResourceAsStream("/search/corpus.json")) {
      if (in == null) {
        throw new IllegalStateException("search/corpus.json is not in the benchmark jar");
      }
      corpus = JSON.readTree(in);
    }
    List<Store> stores = new ArrayList<>();
    corpus.get("stores").forEach(s -> stores.add(new Store(s.get("key").asString(), s.get("name").asString())));
    List<Category> categories = new ArrayList<>();
    corpus.get("categories").forEach(c -> categories.add(new Category(c.get("key").asString(),
        c.get("name").asString(), c.get("parent").isNull() ? null : c.get("parent").asString())));
    List<Product> products = new ArrayList<>();
    corpus.get("products").forEach(p -> products.add(new Product(p.get("key").asString(), p.get("store").asString(),
        p.get("category").asString(), p.get("name").asString(), p.get("price").asLong(),
        p.path("description").asString(""), strings(p.path("tags")), strings(p.path("keywords")))));
    List<Query> queries = new ArrayList<>();
    corpus.get("queries").forEach(q -> queries.add(new Query(q.get("q").asString(), q.get("kind").asString(),
        Set.copyOf(strings(q.get("relevant"))))));
    return new SearchCorpus(List.copyOf(stores), List.copyOf(categories), List.copyOf(products),
        List.copyOf(queries));
  }

  private static List<String> strings(JsonNode array) {
    return array.valueStream().map(JsonNode::asString).toList();
  }

  /**
   * The first one, two and three letters (syllables, for Korean) of every query, each once: what a
   * shopper has typed when suggestions are asked for.
   */
  List<String> prefixes() {
    List<String> prefixes = new ArrayList<>();
    for (Query query : queries) {
      int[] letters = query.q().codePoints().toArray();
      for (int n = 1; n <= Math.min(3, letters.length); n++) {
        String prefix = new String(letters, 0, n).strip();
        if (!prefix.isEmpty() && !prefixes.contains(prefix)) {
          prefixes.add(prefix);
        }
      }
    }
    return List.copyOf(prefixes);
  }

  private static final List<String> COLOURS = List.of("블랙", "화이트", "그레이", "네이비", "베이지", "레드", "블루",
      "그린", "핑크", "실버", "골드", "퍼플");
  private static final List<String> SIZES = List.of("S", "M", "L", "XL", "250mm", "270mm", "500ml", "1L", "1kg",
      "2kg", "13인치", "15인치", "27인치", "128GB", "256GB", "대용량", "미니", "2개입", "3팩", "10개입");
  private static final List<String> WORDS = List.of("정품", "신상", "특가", "한정판", "프리미엄", "베스트", "기획세트",
      "무료배송", "리뉴얼", "인기", "당일발송", "선물용", "2025년형", "에디션", "스페셜");

  /**
   * The {@code i}th distractor, the same on every run: a corpus product's name with a model code
   * unique to {@code i} (so the name is free in its store), maybe a colour, a size and one or two
   * extra words; its store, category, tags and keywords; a price within 30 % of its own.
   */
  Product variant(int i) {
    Random random = new Random(i);
    Product base = products.get(random.nextInt(products.size()));
    List<String> words = new ArrayList<>();
    if (random.nextInt(2) == 0) {
      words.add(pick(WORDS, random));
    }
    words.add(base.name());
    if (random.nextInt(10) < 6) {
      words.add(pick(COLOURS, random));
    }
    if (random.nextInt(2) == 0) {
      words.add(pick(SIZES, random));
    }
    words.add("%c%c-%d".formatted('A' + random.nextInt(26), 'A' + random.nextInt(26), 1000 + i));
    if (random.nextInt(10) < 3) {
      words.add(pick(WORDS, random));
    }
    long price = Math.max(100, Math.round(base.price() * (0.7 + 0.6 * random.nextDouble()) / 100) * 100);
    return new Product("v" + i, base.store(), base.category(), String.join(" ", words), price, base.description(),
        base.tags(), base.keywords());
  }

  private static String pick(List<String> words, Random random) {
    return words.get(random.nextInt(words.size()));
  }

  /** The registration command's body, the store and category keys replaced by their ids. */
  static String registration(Product product, Map<String, String> ids) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("storeId", ids.get(product.store()));
    body.put("categoryId", ids.get(product.category()));
    body.put("name", product.name());
    body.put("price", product.price());
    body.put("stockQuantity", 10);
    body.put("description", product.description());
    body.put("tags", product.tags());
    body.put("keywords", product.keywords());
    return JSON.writeValueAsString(body);
  }
}
