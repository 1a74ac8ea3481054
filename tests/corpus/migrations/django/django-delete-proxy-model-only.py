# ReportModule: options={'proxy': True}, bases=('core.managedfile',)
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("extras", "0110_remove_eventrule_action_parameters")]

    operations = [
        migrations.DeleteModel(
            name="ReportModule",
        ),
    ]
