"""the talent's reusable profile: media, skills, unions, playing age, privacy (issue 11 item 3, issue 13 item 6)

Revision ID: 0020
Revises: 0019

Skills and unions are rows keyed by a normalised key, indexed (key, talent_id) so a filter reads an index;
location is matched on its normalised key and playing age on (playing_age_min, playing_age_max), both
indexed. On SQLite the batch copies talent_profiles (to add the foreign key to blobs and the CHECKs) with
foreign keys off (migrations/env.py) and checks every key afterwards, as 0004 does.
"""
from alembic import op
import sqlalchemy as sa

import casting.core.db

revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None

# Frozen copy of casting.talent.models.MediaVisibility's values.
VISIBILITY = ("applied", "linked")
VISIBILITY_COLUMNS = ("resume_visibility", "reel_visibility")


def _check_foreign_keys() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    bad = op.get_bind().exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if bad:
        raise RuntimeError(f"foreign keys broken by the table copy: {bad[:5]}")


def upgrade():
    op.create_table('talent_headshots',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('talent_id', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('thumb_sha256', sa.String(length=64), nullable=True),
    sa.Column('is_primary', sa.Boolean(), nullable=False),
    sa.Column('created_at', casting.core.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['sha256'], ['blobs.sha256'], name=op.f('fk_talent_headshots_sha256_blobs')),
    sa.ForeignKeyConstraint(['thumb_sha256'], ['blobs.sha256'], name=op.f('fk_talent_headshots_thumb_sha256_blobs')),
    sa.ForeignKeyConstraint(['talent_id'], ['talent_profiles.id'], name=op.f('fk_talent_headshots_talent_id_talent_profiles')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_talent_headshots'))
    )
    with op.batch_alter_table('talent_headshots', schema=None) as batch_op:
        batch_op.create_index('ix_talent_headshots_talent_primary', ['talent_id', 'is_primary'], unique=False)

    op.create_table('talent_skills',
    sa.Column('talent_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=60), nullable=False),
    sa.Column('label', sa.String(length=60), nullable=False),
    sa.ForeignKeyConstraint(['talent_id'], ['talent_profiles.id'], name=op.f('fk_talent_skills_talent_id_talent_profiles')),
    sa.PrimaryKeyConstraint('talent_id', 'key', name=op.f('pk_talent_skills'))
    )
    with op.batch_alter_table('talent_skills', schema=None) as batch_op:
        batch_op.create_index('ix_talent_skills_key_talent', ['key', 'talent_id'], unique=False)

    op.create_table('talent_unions',
    sa.Column('talent_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=60), nullable=False),
    sa.Column('label', sa.String(length=60), nullable=False),
    sa.ForeignKeyConstraint(['talent_id'], ['talent_profiles.id'], name=op.f('fk_talent_unions_talent_id_talent_profiles')),
    sa.PrimaryKeyConstraint('talent_id', 'key', name=op.f('pk_talent_unions'))
    )
    with op.batch_alter_table('talent_unions', schema=None) as batch_op:
        batch_op.create_index('ix_talent_unions_key_talent', ['key', 'talent_id'], unique=False)

    with op.batch_alter_table('talent_profiles', schema=None) as batch_op:
        batch_op.add_column(sa.Column('location', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('location_key', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('pronouns', sa.String(length=50), nullable=True))
        batch_op.add_column(sa.Column('playing_age_min', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('playing_age_max', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('reel_url', sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column('self_tape_urls', sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column('bio', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('access_needs', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('resume_sha256', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('resume_filename', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('resume_visibility', sa.String(length=32), server_default='applied', nullable=False))
        batch_op.add_column(sa.Column('reel_visibility', sa.String(length=32), server_default='applied', nullable=False))
        batch_op.create_index(batch_op.f('ix_talent_profiles_location_key'), ['location_key'], unique=False)
        batch_op.create_index('ix_talent_profiles_playing_age', ['playing_age_min', 'playing_age_max'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_talent_profiles_resume_sha256_blobs'), 'blobs', ['resume_sha256'], ['sha256'])
        for column in VISIBILITY_COLUMNS:
            batch_op.create_check_constraint(op.f(f"ck_talent_profiles_{column}_valid"),
                                             f"{column} IN ({', '.join(repr(v) for v in VISIBILITY)})")
    _check_foreign_keys()


def downgrade():
    with op.batch_alter_table('talent_profiles', schema=None) as batch_op:
        for column in VISIBILITY_COLUMNS:
            batch_op.drop_constraint(op.f(f"ck_talent_profiles_{column}_valid"), type_="check")
        batch_op.drop_constraint(batch_op.f('fk_talent_profiles_resume_sha256_blobs'), type_='foreignkey')
        batch_op.drop_index('ix_talent_profiles_playing_age')
        batch_op.drop_index(batch_op.f('ix_talent_profiles_location_key'))
        batch_op.drop_column('reel_visibility')
        batch_op.drop_column('resume_visibility')
        batch_op.drop_column('resume_filename')
        batch_op.drop_column('resume_sha256')
        batch_op.drop_column('access_needs')
        batch_op.drop_column('bio')
        batch_op.drop_column('self_tape_urls')
        batch_op.drop_column('reel_url')
        batch_op.drop_column('playing_age_max')
        batch_op.drop_column('playing_age_min')
        batch_op.drop_column('pronouns')
        batch_op.drop_column('location_key')
        batch_op.drop_column('location')

    with op.batch_alter_table('talent_unions', schema=None) as batch_op:
        batch_op.drop_index('ix_talent_unions_key_talent')

    op.drop_table('talent_unions')
    with op.batch_alter_table('talent_skills', schema=None) as batch_op:
        batch_op.drop_index('ix_talent_skills_key_talent')

    op.drop_table('talent_skills')
    with op.batch_alter_table('talent_headshots', schema=None) as batch_op:
        batch_op.drop_index('ix_talent_headshots_talent_primary')

    op.drop_table('talent_headshots')
