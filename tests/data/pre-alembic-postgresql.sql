-- A database made by crosswire before migrations (store.py at d0a92cd, metadata.create_all
-- plus one run's rows), dumped by pg_dump --inserts; tests/test_migrations.py opens it.
CREATE TABLE public.analyses (
    article_id character varying(255) NOT NULL,
    data jsonb NOT NULL
);

CREATE TABLE public.articles (
    id character varying(255) NOT NULL,
    content_hash character varying(64) NOT NULL,
    source text NOT NULL,
    title text NOT NULL,
    url text,
    published date,
    published_inferred boolean NOT NULL,
    text text NOT NULL,
    boilerplate_removed jsonb NOT NULL,
    language character varying(32),
    origin text NOT NULL,
    via text,
    added_at timestamp with time zone NOT NULL
);

CREATE TABLE public.meta (
    key character varying(255) NOT NULL,
    value bytea NOT NULL,
    updated_at timestamp with time zone NOT NULL
);

CREATE TABLE public.stories (
    id character varying(255) NOT NULL,
    "position" integer NOT NULL,
    title text NOT NULL,
    data jsonb NOT NULL,
    updated_at timestamp with time zone NOT NULL
);

CREATE TABLE public.story_articles (
    story_id character varying(255) NOT NULL,
    article_id character varying(255) NOT NULL,
    duplicate_of character varying(255)
);

INSERT INTO public.analyses VALUES ('a1', '{"times": [], "quotes": [], "numbers": [], "entities": [], "language": "en", "sentences": [], "article_id": "a1", "published_inferred": null}');

INSERT INTO public.articles VALUES ('a1', 'cc205a58971da270a14f16040b16d420c8daa9198523bdea8f4ea84136deac3c', 'Outlet A', 'T1', NULL, '2025-12-04', false, 'One text.', '[]', NULL, '', NULL, '2026-11-28 20:10:45.810701+00');
INSERT INTO public.articles VALUES ('a2', '694691ef412380675620badf2af1a2f6ba33a412590c14d360fbb5bfa047554d', 'Outlet B', 'T2', NULL, NULL, false, 'Two text.', '[]', NULL, '', NULL, '2026-11-28 20:10:45.810701+00');

INSERT INTO public.meta VALUES ('story_index', '\x006f6c64', '2026-11-28 20:10:45.822739+00');

INSERT INTO public.stories VALUES ('s1', 0, 'S', '{"id": "s1", "title": "S", "claims": [], "quotes": [], "framing": [], "outlets": 2, "summary": [], "entities": [], "timeline": [], "conflicts": [], "omissions": {}, "article_ids": ["a1", "a2"]}', '2026-11-28 20:10:45.818644+00');

INSERT INTO public.story_articles VALUES ('s1', 'a1', NULL);
INSERT INTO public.story_articles VALUES ('s1', 'a2', 'a1');

ALTER TABLE ONLY public.analyses
    ADD CONSTRAINT analyses_pkey PRIMARY KEY (article_id);

ALTER TABLE ONLY public.articles
    ADD CONSTRAINT articles_content_hash_key UNIQUE (content_hash);

ALTER TABLE ONLY public.articles
    ADD CONSTRAINT articles_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.meta
    ADD CONSTRAINT meta_pkey PRIMARY KEY (key);

ALTER TABLE ONLY public.stories
    ADD CONSTRAINT stories_pkey PRIMARY KEY (id);

ALTER TABLE ONLY public.story_articles
    ADD CONSTRAINT story_articles_pkey PRIMARY KEY (story_id, article_id);

CREATE INDEX ix_story_articles_article_id ON public.story_articles USING btree (article_id);

ALTER TABLE ONLY public.analyses
    ADD CONSTRAINT analyses_article_id_fkey FOREIGN KEY (article_id) REFERENCES public.articles(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.story_articles
    ADD CONSTRAINT story_articles_article_id_fkey FOREIGN KEY (article_id) REFERENCES public.articles(id) ON DELETE CASCADE;

ALTER TABLE ONLY public.story_articles
    ADD CONSTRAINT story_articles_story_id_fkey FOREIGN KEY (story_id) REFERENCES public.stories(id) ON DELETE CASCADE;

