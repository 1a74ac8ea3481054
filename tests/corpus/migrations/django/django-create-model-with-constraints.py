from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("shop", "0074_rename_basket_to_cart_state_only")]

    operations = [
        migrations.CreateModel(
            name="GiftCard",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("code", models.CharField(max_length=16, unique=True)),
                ("balance", models.DecimalField(decimal_places=2, max_digits=12)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
            ],
            options={
                "constraints": [
                    models.CheckConstraint(condition=models.Q(("balance__gte", 0)), name="giftcard_balance_gte_0"),
                ],
            },
        ),
    ]
