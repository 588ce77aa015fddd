# The SparkApplication's main file for Aero's Spark jobs: runs the one SQL statement it is given (an INSERT OVERWRITE
# of the job's output table) and fails the application if it fails. Copy it into the image at
# /opt/aero/aero-spark-sql.py (aero.jobs.spark-operator.main-application-file).
import sys

from pyspark.sql import SparkSession

if len(sys.argv) != 2:
    sys.exit("usage: aero-spark-sql.py SQL")

spark = SparkSession.builder.appName("aero-job").getOrCreate()
try:
    spark.sql(sys.argv[1]).collect()
finally:
    spark.stop()
