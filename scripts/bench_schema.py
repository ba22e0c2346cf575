#!/usr/bin/env python3
"""Writes a large synthetic schema for the database classification benchmark (issue #4):
TABLES tables of 20 columns with ROWS rows each, as SQL for PostgreSQL, MariaDB or SQLite.

    python3 scripts/bench_schema.py postgres 1000 1000 | psql -q "$SHUJIAN_TEST_PG_URL"
    python3 scripts/bench_schema.py mysql    1000 1000 | mariadb -h 127.0.0.1 -u … shujian_bench
    python3 scripts/bench_schema.py sqlite   1000 1000 | sqlite3 /tmp/bench.sqlite

Deterministic (fixed seed). Columns mix personal data (names, resident IDs with valid check
characters, mobiles, e-mails, addresses, amounts, dates of birth) with codes, statuses, counts and
free text, under English, pinyin and Chinese-commented names, so the classifier does real work.
Everything is fake.
"""

import random
import sys

ENGINE, TABLES, ROWS = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rng = random.Random(20261123)
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英"
W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def resident_id():
    body = "%06d%04d%02d%02d%03d" % (
        rng.choice([110105, 310104, 440305, 510107, 330106]),
        rng.randint(1950, 2005), rng.randint(1, 12), rng.randint(1, 28), rng.randint(0, 999))
    s = sum(int(c) * w for c, w in zip(body, W))
    return body + "10X98765432"[s % 11]


COLUMNS = [  # name, type, comment, value generator
    ("id", "int", "主键", None),
    ("xm", "varchar(30)", "姓名", lambda: rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2)))),
    ("sfzh", "varchar(18)", "身份证号", resident_id),
    ("mobile", "varchar(11)", "手机号", lambda: "1%d%09d" % (rng.choice([3, 5, 8]), rng.randint(0, 10**9 - 1))),
    ("email", "varchar(64)", "邮箱", lambda: "u%d@example.com" % rng.randint(1, 10**6)),
    ("addr", "varchar(200)", "联系地址", lambda: "北京市朝阳区建国路%d号%d室" % (rng.randint(1, 999), rng.randint(101, 2020))),
    ("amount", "decimal(10,2)", "订单金额", lambda: "%d.%02d" % (rng.randint(1, 99999), rng.randint(0, 99))),
    ("csrq", "varchar(10)", "出生日期", lambda: "%d-%02d-%02d" % (rng.randint(1950, 2005), rng.randint(1, 12), rng.randint(1, 28))),
    ("status", "int", "状态", lambda: str(rng.randint(0, 3))),
    ("order_sn", "varchar(32)", "订单编号", lambda: "%018d" % rng.randint(0, 10**18 - 1)),
    ("remark", "varchar(200)", "备注", lambda: rng.choice(["无", "加急", "已核对", "待处理"])),
    ("create_time", "varchar(19)", "创建时间", lambda: "2025-%02d-%02d 12:00:00" % (rng.randint(1, 12), rng.randint(1, 28))),
    ("sort", "int", "排序", lambda: str(rng.randint(0, 100))),
    ("dept", "varchar(30)", "部门", lambda: rng.choice(["财务部", "研发部", "人事部", "市场部"])),
    ("xb", "varchar(2)", "性别", lambda: rng.choice("男女")),
    ("ip", "varchar(15)", "登录IP", lambda: "10.%d.%d.%d" % (rng.randint(0, 255), rng.randint(0, 255), rng.randint(1, 254))),
    ("version", "varchar(10)", "版本", lambda: "1.%d.%d" % (rng.randint(0, 9), rng.randint(0, 9))),
    ("qty", "int", "数量", lambda: str(rng.randint(1, 50))),
    ("nickname", "varchar(30)", "昵称", lambda: "user_%d" % rng.randint(1, 10**5)),
    ("title", "varchar(60)", "标题", lambda: rng.choice(["年度报告", "季度总结", "采购清单", "会议纪要"])),
]


def quote(v):
    return "'" + v.replace("'", "''") + "'"


out = sys.stdout
if ENGINE in ("postgres", "sqlite"):
    out.write("BEGIN;\n")
for t in range(TABLES):
    name = "t%04d" % t
    cols = ", ".join(
        "%s %s%s" % (c, "int PRIMARY KEY" if c == "id" else ty, "" if ENGINE != "mysql" else " COMMENT " + quote(cm))
        for c, ty, cm, _ in COLUMNS)
    out.write("CREATE TABLE %s (%s)%s;\n" % (name, cols, " COMMENT='业务表'" if ENGINE == "mysql" else ""))
    if ENGINE == "postgres":
        for c, _, cm, _ in COLUMNS:
            out.write("COMMENT ON COLUMN %s.%s IS %s;\n" % (name, c, quote(cm)))
    if ENGINE == "sqlite":
        if t == 0:
            out.write("CREATE TABLE _column_comments (table_name TEXT, column_name TEXT, column_type TEXT, column_comment TEXT, table_comment TEXT);\n")
        for c, ty, cm, _ in COLUMNS:
            out.write("INSERT INTO _column_comments VALUES (%s, %s, %s, %s, '业务表');\n" % (quote(name), quote(c), quote(ty), quote(cm)))
    for start in range(0, ROWS, 500):
        rows = []
        for i in range(start, min(ROWS, start + 500)):
            vals = [str(i + 1)] + [quote(g()) for _, _, _, g in COLUMNS[1:]]
            rows.append("(" + ", ".join(vals) + ")")
        out.write("INSERT INTO %s VALUES %s;\n" % (name, ",\n".join(rows)))
if ENGINE in ("postgres", "sqlite"):
    out.write("COMMIT;\n")
if ENGINE == "postgres":
    out.write("ANALYZE;\n")
