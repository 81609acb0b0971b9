-- A database made by crosswire before migrations (store.py at d0a92cd, metadata.create_all
-- plus one run's rows), dumped by sqlite3 .dump; tests/test_migrations.py opens it.
CREATE TABLE articles (
	id VARCHAR(255) NOT NULL, 
	content_hash VARCHAR(64) NOT NULL, 
	source TEXT NOT NULL, 
	title TEXT NOT NULL, 
	url TEXT, 
	published DATE, 
	published_inferred BOOLEAN NOT NULL, 
	text TEXT NOT NULL, 
	boilerplate_removed JSON NOT NULL, 
	language VARCHAR(32), 
	origin TEXT NOT NULL, 
	via TEXT, 
	added_at DATETIME NOT NULL, 
	PRIMARY KEY (id), 
	UNIQUE (content_hash)
);
INSERT INTO articles VALUES('a1','cc205a58971da270a14f16040b16d420c8daa9198523bdea8f4ea84136deac3c','Outlet A','T1',NULL,'2025-12-04',0,'One text.','[]',NULL,'',NULL,'2026-11-28 20:10:42.645614');
INSERT INTO articles VALUES('a2','694691ef412380675620badf2af1a2f6ba33a412590c14d360fbb5bfa047554d','Outlet B','T2',NULL,NULL,0,'Two text.','[]',NULL,'',NULL,'2026-11-28 20:10:42.645614');
CREATE TABLE stories (
	id VARCHAR(255) NOT NULL, 
	position INTEGER NOT NULL, 
	title TEXT NOT NULL, 
	data JSON NOT NULL, 
	updated_at DATETIME NOT NULL, 
	PRIMARY KEY (id)
);
INSERT INTO stories VALUES('s1',0,'S','{"id": "s1", "title": "S", "article_ids": ["a1", "a2"], "outlets": 2, "entities": [], "claims": [], "quotes": [], "conflicts": [], "timeline": [], "framing": [], "summary": [], "omissions": {}}','2026-11-28 20:10:42.652175');
CREATE TABLE meta (
	"key" VARCHAR(255) NOT NULL, 
	value BLOB NOT NULL, 
	updated_at DATETIME NOT NULL, 
	PRIMARY KEY ("key")
);
INSERT INTO meta VALUES('story_index',X'006f6c64','2026-11-28 20:10:42.666843');
CREATE TABLE analyses (
	article_id VARCHAR(255) NOT NULL, 
	data JSON NOT NULL, 
	PRIMARY KEY (article_id), 
	FOREIGN KEY(article_id) REFERENCES articles (id) ON DELETE CASCADE
);
INSERT INTO analyses VALUES('a1','{"article_id": "a1", "language": "en", "sentences": [], "entities": [], "quotes": [], "numbers": [], "times": [], "published_inferred": null}');
CREATE TABLE story_articles (
	story_id VARCHAR(255) NOT NULL, 
	article_id VARCHAR(255) NOT NULL, 
	duplicate_of VARCHAR(255), 
	PRIMARY KEY (story_id, article_id), 
	FOREIGN KEY(story_id) REFERENCES stories (id) ON DELETE CASCADE, 
	FOREIGN KEY(article_id) REFERENCES articles (id) ON DELETE CASCADE
);
INSERT INTO story_articles VALUES('s1','a1',NULL);
INSERT INTO story_articles VALUES('s1','a2','a1');
CREATE INDEX ix_story_articles_article_id ON story_articles (article_id);
