-- A sample legacy catalog of :products products for schema.sql (tests, the benchmark, trying the
-- import out): 1 store per 1,000 products (at least 10), a category tree of 5 roots, 20 children and
-- 100 leaves the products sit in, two images each (a tenth with a third, deleted), two reviews on
-- every other product (one in fifty of those deleted), tags on a quarter; one in twenty hidden, one
-- in thirty-three deleted, some prices with 50 jeon. Ids are md5-derived UUIDs: the same every time.
INSERT INTO p_store (id, store_name, created_at, updated_at)
SELECT md5('s' || g)::uuid, 'Legacy Store ' || g, timestamptz '2018-06-01 09:00:00+09' + g * interval '1 hour',
       timestamptz '2018-06-01 09:00:00+09' + g * interval '1 hour'
  FROM generate_series(1, greatest(10, :products / 1000)) g;

INSERT INTO p_category (id, parent_id, category_name, created_at, updated_at)
SELECT md5('c' || g)::uuid, NULL, '대분류 ' || g, timestamptz '2018-05-01 09:00:00+09' + g * interval '1 minute',
       timestamptz '2018-05-01 09:00:00+09'
  FROM generate_series(1, 5) g;
INSERT INTO p_category (id, parent_id, category_name, created_at, updated_at)
SELECT md5('c' || g)::uuid, md5('c' || (1 + (g - 6) % 5))::uuid, '중분류 ' || g,
       timestamptz '2018-05-02 09:00:00+09' + g * interval '1 minute', timestamptz '2018-05-02 09:00:00+09'
  FROM generate_series(6, 25) g;
INSERT INTO p_category (id, parent_id, category_name, created_at, updated_at)
SELECT md5('c' || g)::uuid, md5('c' || (6 + (g - 26) % 20))::uuid, '소분류 ' || g,
       timestamptz '2018-05-03 09:00:00+09' + g * interval '1 minute', timestamptz '2018-05-03 09:00:00+09'
  FROM generate_series(26, 125) g;

INSERT INTO p_product (id, store_id, store_name, category_id, product_name, status, price, stock_quantity,
                       thumbnail_url, description, hidden_at, created_at, updated_at, deleted_at)
SELECT md5('p' || g)::uuid, md5('s' || (1 + g % greatest(10, :products / 1000)))::uuid,
       'Legacy Store ' || (1 + g % greatest(10, :products / 1000)), md5('c' || (26 + g % 100))::uuid,
       'Legacy Product ' || g, CASE WHEN g % 20 = 0 THEN 'OFF_SHELF' ELSE 'ON_SALE' END,
       1000 + (g * 37) % 99000 + CASE WHEN g % 7 = 0 THEN 0.5 ELSE 0 END, g % 500,
       'https://img.legacy.example/' || g || '/thumb.jpg', '레거시 상품 ' || g || ' 설명',
       CASE WHEN g % 20 = 0 THEN timestamptz '2019-01-01 00:00:00+09' + g * interval '5 minutes' + interval '10 days' END,
       timestamptz '2019-01-01 00:00:00+09' + g * interval '5 minutes',
       timestamptz '2019-01-01 00:00:00+09' + g * interval '5 minutes' + interval '30 days',
       CASE WHEN g % 33 = 0 THEN timestamptz '2019-01-01 00:00:00+09' + g * interval '5 minutes' + interval '20 days' END
  FROM generate_series(1, :products) g;

INSERT INTO p_product_image (id, product_id, image_type, image_url, display_order, created_at, updated_at, deleted_at)
SELECT md5('i' || g || '-' || n)::uuid, md5('p' || g)::uuid, CASE WHEN n = 0 THEN 'PRIMARY' ELSE 'DETAIL' END,
       'https://img.legacy.example/' || g || '/' || n || '.jpg', n,
       timestamptz '2019-01-01 00:00:00+09' + g * interval '5 minutes',
       timestamptz '2019-01-01 00:00:00+09' + g * interval '5 minutes',
       CASE WHEN n = 2 THEN timestamptz '2019-01-01 00:00:00+09' + g * interval '5 minutes' + interval '1 day' END
  FROM generate_series(1, :products) g, generate_series(0, 2) n
 WHERE n < 2 OR g % 10 = 0;

INSERT INTO p_review (id, product_id, user_id, rating, content, created_at, updated_at, deleted_at)
SELECT md5('r' || g || '-' || n)::uuid, md5('p' || g)::uuid, md5('u' || (g * 7 + n) % 5000)::uuid,
       1 + (g + n) % 5, '좋아요 ' || g || '-' || n,
       timestamptz '2019-01-01 00:00:00+09' + g * interval '5 minutes' + (n + 1) * interval '3 days',
       timestamptz '2019-01-01 00:00:00+09' + g * interval '5 minutes' + (n + 1) * interval '3 days',
       CASE WHEN n = 0 AND g % 100 = 0 THEN timestamptz '2019-01-01 00:00:00+09' + g * interval '5 minutes' + interval '40 days' END
  FROM generate_series(1, :products) g, generate_series(0, 1) n
 WHERE g % 2 = 0;

INSERT INTO p_product_tag (product_id, tag)
SELECT md5('p' || g)::uuid, t
  FROM generate_series(1, :products) g, unnest(ARRAY['legacy', '세일']) t
 WHERE g % 4 = 0;

ANALYZE;
