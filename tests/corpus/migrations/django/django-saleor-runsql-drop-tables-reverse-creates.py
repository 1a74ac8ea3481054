from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("core", "0009_add_temporary_vatlayer_tables")]

    operations = [
        migrations.RunSQL(
            sql="DROP TABLE IF EXISTS django_prices_vatlayer_ratetypes;",
            reverse_sql="""
            CREATE TABLE IF NOT EXISTS django_prices_vatlayer_ratetypes(
                "id" serial4 NOT NULL PRIMARY KEY,
                "types" text NOT NULL
            );
            """,
        ),
        migrations.RunSQL(
            sql="DROP TABLE IF EXISTS django_prices_vatlayer_vat;",
            reverse_sql="""
            CREATE TABLE IF NOT EXISTS django_prices_vatlayer_vat(
                "id" serial4 NOT NULL PRIMARY KEY,
                "country_code" varchar(2) NOT NULL,
                "data" text NOT NULL
            );
            """,
        ),
    ]
